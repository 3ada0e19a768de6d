/**
 * Where room summaries come from, for `/hierarchy` and `/room_summary`: the one seam federation
 * plugs into. Today only rooms this server has state for are summarised (one roomserver query
 * per batch); rooms unknown here are left out. With the federationapi, the rooms missing from
 * the local answer will be asked of their `via` servers (`GET /_matrix/federation/v1/hierarchy`
 * or the room summary), the local data still preferred for rooms known here, as the spec says.
 */
import type { ClientRoomserverAPI, RoomSummary } from '../../roomserver/api.js';
import type { ChildRef } from './space-hierarchy-walk.js';

/**
 * The summaries of the rooms that can be found, by room ID, each carrying `userId`'s membership
 * (none when undefined). Rooms that cannot be found are absent.
 */
export type RoomSummarySource = (refs: readonly ChildRef[], userId: string | undefined) => Promise<ReadonlyMap<string, RoomSummary>>;

/** A {@link RoomSummarySource} over this server's rooms only. */
export function localRoomSummaries(rs: ClientRoomserverAPI): RoomSummarySource {
  return async (refs, userId) => {
    if (refs.length === 0) return new Map();
    const { rooms } = await rs.queryRoomSummaries({ roomIds: refs.map((r) => r.roomId), ...(userId !== undefined ? { userId } : {}) });
    return new Map(rooms.map((r) => [r.roomId, r]));
  };
}
