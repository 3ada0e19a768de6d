/**
 * The spec's `RoomSummary` object (shared by `/room_summary` and the chunks of `/hierarchy`)
 * and the stripped `m.space.child` events of `children_state`. Absent values are left out
 * rather than sent as null, as the schema has no nullable field.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { RoomSummary, SpaceChildState } from '../../roomserver/api.js';
import { toChunk } from './public-rooms-page.js';

/** `RoomSummary` of the spec, from the roomserver's summary. */
export function roomSummaryJson(r: RoomSummary): JsonObject {
  return {
    ...(toChunk(r) as unknown as JsonObject),
    ...(r.allowedRoomIds.length > 0 ? { allowed_room_ids: [...r.allowedRoomIds] } : {}),
    ...(r.encryption !== null ? { encryption: r.encryption } : {}),
    room_version: r.roomVersion,
  };
}

/** A `StrippedChildStateEvent`: the stripped state event plus its `origin_server_ts`. */
export function strippedChildStateJson(c: SpaceChildState): JsonObject {
  return { type: 'm.space.child', state_key: c.stateKey, content: c.content, sender: c.sender, origin_server_ts: c.originServerTs };
}
