/**
 * User IDs (spec appendix "User Identifiers" and "Historical User IDs"): `@localpart:server`.
 * New IDs use the current grammar (`a-z 0-9 . _ = - / +`); IDs already in rooms may use the
 * historical one (anything but `:` and NUL, even empty), which servers MUST still accept in
 * events. Callers choose which with `allowHistorical`.
 */
import { byteLength, invalid, MAX_ID_BYTES, ok, opaqueLocalpartFault, type IdResult } from './id-result.js';
import { parseServerName } from './server-name.js';

/** A parsed user ID. */
export interface UserIdParts {
  readonly localpart: string;
  readonly serverName: string;
  /** The localpart fits the current grammar (always true unless `allowHistorical`). */
  readonly current: boolean;
  /**
   * The localpart is non-empty and within U+0021–U+007E. Non-compliant IDs are accepted in
   * events but SHOULD NOT be forwarded to clients outside an event (e.g. device list updates).
   */
  readonly compliant: boolean;
}

/** Options for {@link parseUserId}. */
export interface ParseUserIdOptions {
  /** Accept the historical localpart grammar (for IDs found in events). Default `false`. */
  readonly allowHistorical?: boolean;
}

/** The current localpart grammar. */
export const USER_LOCALPART = /^[a-z0-9._=\-/+]+$/;
const PRINTABLE_ASCII = /^[\u0021-\u007e]+$/;

/** Parses a user ID, returning its parts or why it is invalid. */
export function parseUserId(id: string, opts?: ParseUserIdOptions): IdResult<UserIdParts> {
  if (!id.startsWith('@')) return invalid('a user ID starts with "@"');
  if (byteLength(id) > MAX_ID_BYTES) return invalid(`a user ID is at most ${MAX_ID_BYTES} bytes`);
  const colon = id.indexOf(':');
  if (colon < 0) return invalid('a user ID has the form @localpart:server');
  const localpart = id.slice(1, colon);
  const serverName = id.slice(colon + 1);
  const server = parseServerName(serverName);
  if (!server.ok) return invalid(`invalid server name: ${server.reason}`);
  const current = USER_LOCALPART.test(localpart);
  if (!current) {
    if (!opts?.allowHistorical) return invalid('the localpart may only contain a-z, 0-9, ".", "_", "=", "-", "/" and "+"');
    const fault = opaqueLocalpartFault(localpart);
    if (fault) return invalid(`the localpart ${fault}`);
  }
  return ok({ localpart, serverName, current, compliant: PRINTABLE_ASCII.test(localpart) });
}

/** Whether `id` is a user ID (historical grammar allowed when asked). */
export function isValidUserId(id: string, opts?: ParseUserIdOptions): boolean {
  return parseUserId(id, opts).ok;
}

/** The server name of a user ID, or `undefined` if it is not one (historical grammar allowed). */
export function userIdServerName(id: string): string | undefined {
  const parsed = parseUserId(id, { allowHistorical: true });
  return parsed.ok ? parsed.value.serverName : undefined;
}
