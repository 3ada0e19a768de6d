/** `queryRoomInfo`: whether the roomserver knows the room, its version and latest events. */
import type { QueryRoomInfoRequest, QueryRoomInfoResponse } from '../api.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** A room known only through invites or outliers exists, with no latest events. */
export async function queryRoomInfo(ctx: RoomserverInternalContext, req: QueryRoomInfoRequest): Promise<QueryRoomInfoResponse> {
  const room = await ctx.storage.getRoomInfo(req.roomId);
  if (!room) return { exists: false, roomVersion: null, latestEventIds: [] };
  return { exists: true, roomVersion: room.roomVersion, latestEventIds: room.forwardExtremities };
}
