/**
 * Hashing and signing an outgoing event (server-server API "Adding hashes and signatures to
 * outgoing events"): set the content hash, redact, sign the redacted form, and copy the
 * signature back. Signing the redacted form is what lets a redacted copy still be verified.
 */
import { createHash } from 'node:crypto';
import { encodeBase64 } from './base64.js';
import { canonicalJson } from './canonical-json.js';
import { addContentHash } from './content-hash.js';
import { ed25519Sign } from './ed25519.js';
import { eventIdFromHash } from './event-id.js';
import type { JsonObject } from './json.js';
import { redactEvent } from './redact-event.js';
import type { RoomVersion } from './room-version.js';
import { jsonSignature, UNSIGNED_KEYS, withSignature } from './sign-json.js';
import type { SigningKey } from './signing-key.js';

/**
 * The signature of `serverName`'s `key` over the redacted form of `event` (which must already
 * carry its `hashes`).
 */
export function eventSignature(event: JsonObject, rv: RoomVersion, key: SigningKey): string {
  return jsonSignature(redactEvent(event, rv), key, { strict: rv.strictCanonicalJson });
}

/**
 * A copy of `event` with its content hash computed and a signature from `serverName` added
 * (other servers' signatures are kept, e.g. on a join signed by the resident server too).
 * @throws MatrixError `M_BAD_JSON` if the event is not canonical JSON for the room version.
 */
export function hashAndSignEvent(event: JsonObject, rv: RoomVersion, serverName: string, key: SigningKey): JsonObject {
  const hashed = addContentHash(event, rv);
  const signature = eventSignature(hashed, rv, key);
  return { ...hashed, signatures: withSignature(event.signatures, serverName, key.keyId, signature) };
}

/**
 * {@link hashAndSignEvent}, also returning the event ID of a v3+ event (undefined for v1–v2,
 * whose IDs travel in the PDU). The reference hash covers exactly the bytes the signature does —
 * the redacted event without `signatures` and `unsigned` — so they are serialised once for both:
 * building a local event is on every send's path.
 */
export function hashSignAndIdentifyEvent(
  event: JsonObject,
  rv: RoomVersion,
  serverName: string,
  key: SigningKey,
): { readonly signed: JsonObject; readonly eventId: string | undefined } {
  const hashed = addContentHash(event, rv);
  const text = Buffer.from(canonicalJson(redactEvent(hashed, rv), { strict: rv.strictCanonicalJson, omitKeys: UNSIGNED_KEYS }), 'utf8');
  const signature = encodeBase64(ed25519Sign(text, key.secretKey));
  const signed = { ...hashed, signatures: withSignature(event.signatures, serverName, key.keyId, signature) };
  const eventId = rv.eventIdFormat === 'legacy' ? undefined : eventIdFromHash(createHash('sha256').update(text).digest(), rv);
  return { signed, eventId };
}

/**
 * Adds `serverName`'s signature to an event that is already hashed, without touching `hashes`
 * (e.g. the resident server co-signing a `send_join` event, or an invite).
 */
export function addEventSignature(event: JsonObject, rv: RoomVersion, serverName: string, key: SigningKey): JsonObject {
  const signature = eventSignature(event, rv, key);
  return { ...event, signatures: withSignature(event.signatures, serverName, key.keyId, signature) };
}
