/** `queryRoomVisibility`: whether a room is in the server's published room directory. */
import type { QueryRoomVisibilityRequest, QueryRoomVisibilityResponse } from '../api.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** `exists: false` for a room without state here (`GET /directory/list/room` answers 404 then). */
export async function queryRoomVisibility(ctx: RoomserverInternalContext, req: QueryRoomVisibilityRequest): Promise<QueryRoomVisibilityResponse> {
  const [room, published] = await Promise.all([ctx.storage.getRoomInfo(req.roomId), ctx.storage.isRoomPublished(req.roomId)]);
  if (!room?.hasState) return { exists: false, visibility: 'private' };
  return { exists: true, visibility: published ? 'public' : 'private' };
}
