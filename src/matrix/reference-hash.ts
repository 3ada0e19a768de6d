/**
 * The reference hash of an event (server-server API "Calculating the reference hash for an
 * event"): SHA-256 of the canonical JSON of the *redacted* event without `signatures` and
 * `unsigned`. It covers the essential keys and the content hash, and is the event ID from v3 on.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { JsonObject } from './json.js';
import { redactEvent } from './redact-event.js';
import type { RoomVersion } from './room-version.js';
import { UNSIGNED_KEYS } from './sign-json.js';

/**
 * The 32-byte reference hash of `event` in room version `rv`.
 * @throws MatrixError `M_BAD_JSON` if the redacted event is not canonical JSON for the version.
 */
export function referenceHash(event: JsonObject, rv: RoomVersion): Buffer {
  const text = canonicalJson(redactEvent(event, rv), { strict: rv.strictCanonicalJson, omitKeys: UNSIGNED_KEYS });
  return createHash('sha256').update(text, 'utf8').digest();
}
