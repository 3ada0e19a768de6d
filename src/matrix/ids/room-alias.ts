/**
 * Room aliases (spec appendix "Room Aliases"): `#localpart:server`, where the localpart may be
 * any non-surrogate code points except `:` and NUL, at most 255 bytes in all.
 */
import { byteLength, invalid, MAX_ID_BYTES, ok, opaqueLocalpartFault, type IdResult } from './id-result.js';
import { parseServerName } from './server-name.js';

/** A parsed room alias. */
export interface RoomAliasParts {
  readonly localpart: string;
  readonly serverName: string;
}

/** Parses a room alias. */
export function parseRoomAlias(alias: string): IdResult<RoomAliasParts> {
  if (!alias.startsWith('#')) return invalid('a room alias starts with "#"');
  if (byteLength(alias) > MAX_ID_BYTES) return invalid(`a room alias is at most ${MAX_ID_BYTES} bytes`);
  const colon = alias.indexOf(':');
  if (colon < 0) return invalid('a room alias has the form #localpart:server');
  const localpart = alias.slice(1, colon);
  const fault = opaqueLocalpartFault(localpart);
  if (fault) return invalid(`the alias localpart ${fault}`);
  const serverName = alias.slice(colon + 1);
  const server = parseServerName(serverName);
  if (!server.ok) return invalid(`invalid server name: ${server.reason}`);
  return ok({ localpart, serverName });
}

/** Whether `alias` is a valid room alias. */
export function isValidRoomAlias(alias: string): boolean {
  return parseRoomAlias(alias).ok;
}
