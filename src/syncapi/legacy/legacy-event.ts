/**
 * Events as the legacy read paths (`/events`, `/initialSync`, `/rooms/{roomId}/initialSync`)
 * serve them: room events in the spec's `ClientEvent` form, `room_id` included, through the one
 * serving path (`serveEvent`), with `unsigned.age` and the sending device's `transaction_id`.
 * They carry no bundled aggregations: the spec does not ask for them on these deprecated
 * endpoints, and Synapse leaves them out too.
 *
 * Ephemeral and account-data events, which `/sync` nests under their room, gain a `room_id`
 * (the spec: "`m.tag` events appearing in `/events` will have a `room_id`"); presence events gain
 * the `content.user_id` of their v1 shape, which older clients and Sytest read.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { transactionIdFor, type ServedTo } from '../history/history-event.js';
import type { SyncEvent } from '../storage/index.js';
import { isRawJson, rawText } from '../sync/raw-json.js';
import type { StateItem } from '../sync/room-state-at.js';
import { clientEventServing, serveEvent } from '../sync/serve-event.js';
import type { ResponseEvent } from '../sync/sync-response.js';

/** A stored room event as served to `to` at `now` (ms since the epoch). */
export function legacyEvent(e: SyncEvent, to: ServedTo, now: number): ResponseEvent {
  return serveEvent(e.eventId, e.roomId, e.json, { transactionId: transactionIdFor(e, to) }, clientEventServing(now));
}

/** A state entry of `roomId` as served at `now`. */
export function legacyStateEvent(roomId: string, item: StateItem, now: number): ResponseEvent {
  return serveEvent(item.eventId, roomId, item.json, {}, clientEventServing(now));
}

/** An event of a room section of `/sync` (ephemeral, account data) with the room's ID added. */
export function withRoomId(e: ResponseEvent, roomId: string): JsonObject {
  return { ...objectOf(e), room_id: roomId };
}

/** An `m.presence` event as `/sync` serves it, with the user's ID in its content as well. */
export function legacyPresenceEvent(e: ResponseEvent): JsonObject {
  const event = objectOf(e);
  const content = isJsonObject(event.content) ? event.content : {};
  return typeof event.sender === 'string' ? { ...event, content: { ...content, user_id: event.sender } } : event;
}

function objectOf(e: ResponseEvent): JsonObject {
  return isRawJson(e) ? (JSON.parse(rawText(e)) as JsonObject) : e;
}
