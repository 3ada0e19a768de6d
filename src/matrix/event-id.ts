/**
 * Event IDs derived from the reference hash (v3: `$` + standard unpadded base64; v4+: `$` +
 * URL-safe unpadded base64), and v12 room IDs, which are the create event's ID with `!`.
 * In v1–v2 the origin server chooses the event ID and it travels in the PDU.
 */
import { encodeBase64, encodeBase64Url } from './base64.js';
import type { JsonObject } from './json.js';
import { referenceHash } from './reference-hash.js';
import type { RoomVersion } from './room-version.js';

/** Formats a reference hash as an event ID with the version's alphabet. */
export function eventIdFromHash(hash: Uint8Array, rv: RoomVersion): string {
  switch (rv.eventIdFormat) {
    case 'hash-standard':
      return `$${encodeBase64(hash)}`;
    case 'hash-urlsafe':
      return `$${encodeBase64Url(hash)}`;
    case 'legacy':
      throw new Error(`Room version ${rv.id} event IDs are chosen by the origin server, not hashed`);
  }
}

/**
 * The event ID of a v3+ event (do not pass an event that carries `event_id`: it would be
 * hashed too). For v1–v2 this throws; read `event_id` from the PDU instead.
 */
export function computeEventId(event: JsonObject, rv: RoomVersion): string {
  return eventIdFromHash(referenceHash(event, rv), rv);
}

/**
 * The room ID a v12 `m.room.create` event defines: `!` + URL-safe base64 of its reference hash.
 * @throws Error for room versions whose room IDs are not derived from the create event.
 */
export function roomIdFromCreateEvent(createEvent: JsonObject, rv: RoomVersion): string {
  if (!rv.roomIdIsCreateHash) throw new Error(`Room version ${rv.id} room IDs are not create-event hashes`);
  return `!${encodeBase64Url(referenceHash(createEvent, rv))}`;
}
