/**
 * The content hash of an event (server-server API "Calculating the content hash for an event"):
 * SHA-256 of the canonical JSON of the whole event without `unsigned`, `signatures` and `hashes`,
 * stored as `hashes.sha256` in unpadded base64. It covers the unredacted content, so a mismatch
 * means we were sent a redacted copy (the receiver then uses its own redacted form).
 */
import { createHash } from 'node:crypto';
import { encodeBase64, tryDecodeBase64 } from './base64.js';
import { canonicalJson } from './canonical-json.js';
import { isJsonObject, type JsonObject } from './json.js';
import type { RoomVersion } from './room-version.js';

const NOT_HASHED: readonly string[] = ['unsigned', 'signatures', 'hashes'];

/**
 * The SHA-256 content hash of `event` (32 bytes).
 * @throws MatrixError `M_BAD_JSON` if the event is not canonical JSON for the room version.
 */
export function contentHash(event: JsonObject, rv: RoomVersion): Buffer {
  const text = canonicalJson(event, { strict: rv.strictCanonicalJson, omitKeys: NOT_HASHED });
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A copy of `event` with `hashes` set to `{sha256: <content hash>}`. */
export function addContentHash(event: JsonObject, rv: RoomVersion): JsonObject {
  return { ...event, hashes: { sha256: encodeBase64(contentHash(event, rv)) } };
}

/**
 * Whether `hashes.sha256` matches the event's content. `false` (never a throw) when the hash is
 * missing, malformed, or the event is not canonical JSON.
 */
export function checkContentHash(event: JsonObject, rv: RoomVersion): boolean {
  const hashes = event.hashes;
  if (!isJsonObject(hashes) || typeof hashes.sha256 !== 'string') return false;
  const claimed = tryDecodeBase64(hashes.sha256);
  if (!claimed || claimed.length !== 32) return false;
  let actual: Buffer;
  try {
    actual = contentHash(event, rv);
  } catch {
    return false;
  }
  return claimed.equals(actual);
}
