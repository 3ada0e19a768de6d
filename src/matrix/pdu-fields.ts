/**
 * Typed readers for PDU fields, each throwing `M_BAD_JSON` that names the field, so the event
 * parser reads as a list of the spec's requirements.
 */
import { MatrixError } from '../internal/errors/matrix-error.js';
import { byteLength, MAX_ID_BYTES } from './ids/id-result.js';
import { parseEventId } from './ids/event-id.js';
import { isJsonObject, type JsonObject } from './json.js';
import type { RoomVersion } from './room-version.js';

/** A required string field, at most `maxBytes` (255 by default) UTF-8 bytes. */
export function requireString(pdu: JsonObject, field: string, maxBytes = MAX_ID_BYTES): string {
  const v = pdu[field];
  if (typeof v !== 'string') throw MatrixError.badJson(`Event field "${field}" must be a string`);
  return checkLength(v, field, maxBytes);
}

/** An optional string field (absent → `undefined`), at most 255 UTF-8 bytes. */
export function optionalString(pdu: JsonObject, field: string): string | undefined {
  const v = pdu[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw MatrixError.badJson(`Event field "${field}" must be a string`);
  return checkLength(v, field, MAX_ID_BYTES);
}

function checkLength(v: string, field: string, maxBytes: number): string {
  // Cheap test first: a string of n UTF-16 units has at most 3n UTF-8 bytes.
  if (v.length * 3 > maxBytes && byteLength(v) > maxBytes) {
    throw MatrixError.badJson(`Event field "${field}" is longer than ${maxBytes} bytes`);
  }
  return v;
}

/** A required integer field; `min` bounds it below. */
export function requireInteger(pdu: JsonObject, field: string, min = Number.NEGATIVE_INFINITY): number {
  const v = pdu[field];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw MatrixError.badJson(`Event field "${field}" must be an integer`);
  if (v < min) throw MatrixError.badJson(`Event field "${field}" must be at least ${min}`);
  return v;
}

/** A required object field. */
export function requireObject(pdu: JsonObject, field: string): JsonObject {
  const v = pdu[field];
  if (!isJsonObject(v)) throw MatrixError.badJson(`Event field "${field}" must be an object`);
  return v;
}

/** `hashes`: an object with a string `sha256`. */
export function requireHashes(pdu: JsonObject): void {
  const hashes = requireObject(pdu, 'hashes');
  if (typeof hashes.sha256 !== 'string') throw MatrixError.badJson('Event field "hashes.sha256" must be a string');
}

/** `signatures`: server name → key ID → signature string. */
export function requireSignatures(pdu: JsonObject): void {
  const signatures = requireObject(pdu, 'signatures');
  for (const [server, keys] of Object.entries(signatures)) {
    if (!isJsonObject(keys)) throw MatrixError.badJson(`Event field "signatures.${server}" must be an object`);
    for (const [keyId, sig] of Object.entries(keys)) {
      if (typeof sig !== 'string') throw MatrixError.badJson(`Event field "signatures.${server}.${keyId}" must be a string`);
    }
  }
}

/**
 * `prev_events` / `auth_events`: `[[id, {hashes}], …]` pairs in v1–v2, plain IDs from v3,
 * at most `max` entries, each ID valid for the room version. Returns the IDs in order.
 */
export function requireEventRefs(pdu: JsonObject, field: string, rv: RoomVersion, max: number): string[] {
  const v = pdu[field];
  if (!Array.isArray(v)) throw MatrixError.badJson(`Event field "${field}" must be an array`);
  if (v.length > max) throw MatrixError.badJson(`Event field "${field}" has more than ${max} entries`);
  const ids: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const item = v[i];
    let id: unknown = item;
    if (rv.eventRefsArePairs) {
      if (!Array.isArray(item) || item.length !== 2 || !isJsonObject(item[1])) {
        throw MatrixError.badJson(`Event field "${field}[${i}]" must be an [event_id, hashes] pair`);
      }
      id = item[0];
    }
    if (typeof id !== 'string') throw MatrixError.badJson(`Event field "${field}[${i}]" must be an event ID`);
    const parsed = parseEventId(id, rv);
    if (!parsed.ok) throw MatrixError.badJson(`Event field "${field}[${i}]": ${parsed.reason}`);
    ids.push(id);
  }
  return ids;
}
