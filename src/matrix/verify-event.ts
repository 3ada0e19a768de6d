/**
 * Checking an incoming event's signatures (server-server API "Validating hashes and signatures
 * on received events"): the signature covers the redacted event, so it verifies whether we got
 * the full event or a redacted copy. Which servers must have signed is
 * {@link requiredSignatureServers}; fetching their keys and key validity are the caller's part.
 */
import { canonicalJson } from './canonical-json.js';
import { isJsonObject, type JsonObject } from './json.js';
import { redactEvent } from './redact-event.js';
import type { RoomEvent } from './room-event.js';
import type { RoomVersion } from './room-version.js';
import { UNSIGNED_KEYS } from './sign-json.js';
import { verifyCanonical, type PublicKeyInput, type VerifyResult } from './verify-json.js';
import { domainOf } from './ids/domain-of.js';

/** One signature to check: who, with which key. */
export interface EventSignatureCheck {
  readonly serverName: string;
  readonly keyId: string;
  readonly publicKey: PublicKeyInput;
}

/**
 * Checks one server's signature on an event. Never throws for bad input.
 */
export function verifyEventSignature(
  event: JsonObject,
  rv: RoomVersion,
  serverName: string,
  keyId: string,
  publicKey: PublicKeyInput,
): VerifyResult {
  return verifyEventSignatures(event, rv, [{ serverName, keyId, publicKey }]);
}

/**
 * Checks several signatures on one event, redacting and serialising it once. Succeeds only if
 * every check passes; the first failure is returned.
 */
export function verifyEventSignatures(event: JsonObject, rv: RoomVersion, checks: readonly EventSignatureCheck[]): VerifyResult {
  const signatures = event.signatures;
  if (!isJsonObject(signatures)) return { ok: false, reason: 'no signatures object' };
  let text: string;
  try {
    text = canonicalJson(redactEvent(event, rv), { strict: rv.strictCanonicalJson, omitKeys: UNSIGNED_KEYS });
  } catch (e) {
    return { ok: false, reason: `not canonical JSON: ${(e as Error).message}` };
  }
  for (const { serverName, keyId, publicKey } of checks) {
    const label = `${serverName} ${keyId}`;
    const mine = signatures[serverName];
    const signature = isJsonObject(mine) ? mine[keyId] : undefined;
    if (typeof signature !== 'string') return { ok: false, reason: `not signed by ${label}` };
    if (!keyId.startsWith('ed25519:')) return { ok: false, reason: `unsupported signing algorithm in ${keyId}` };
    const result = verifyCanonical(text, signature, publicKey, label);
    if (!result.ok) return result;
  }
  return { ok: true };
}

/**
 * The servers whose signatures an event needs:
 * - the sender's server, except on an invite made through a third-party invite (the spec lets
 *   another server send that one; its `signed` block is checked by the auth rules instead);
 * - for v1–v2, also the server named in the event ID;
 * - for joins carrying `join_authorised_via_users_server` (restricted rooms, v8+), that user's
 *   server, as the member auth rules require.
 */
export function requiredSignatureServers(event: RoomEvent): string[] {
  const servers = new Set<string>();
  const isThirdPartyInvite =
    event.type === 'm.room.member' && event.content.membership === 'invite' && event.content.third_party_invite !== undefined;
  const sender = domainOf(event.sender);
  if (!isThirdPartyInvite && sender !== undefined) servers.add(sender);
  if (event.roomVersion.eventIdFormat === 'legacy') {
    const origin = domainOf(event.eventId);
    if (origin !== undefined) servers.add(origin);
  }
  const authoriser = event.content.join_authorised_via_users_server;
  const isJoin = event.type === 'm.room.member' && event.content.membership === 'join';
  if (event.roomVersion.restrictedJoinSupported && isJoin && typeof authoriser === 'string') {
    const d = domainOf(authoriser);
    if (d !== undefined) servers.add(d);
  }
  return [...servers];
}
