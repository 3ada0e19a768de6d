/**
 * `queryRoomListing`: every room with current state and its sizes, for the admin room list.
 * Two queries whatever the number of rooms; what else the list shows (names, aliases, rules)
 * the caller reads from the current state of the rooms it needs.
 */
import type { QueryRoomListingRequest, QueryRoomListingResponse } from '../api.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Rooms by room ID; `published` is the server's own directory list (not appservice lists). */
export async function queryRoomListing(ctx: RoomserverInternalContext, req: QueryRoomListingRequest): Promise<QueryRoomListingResponse> {
  const [rows, published] = await Promise.all([ctx.storage.getRoomListing(ctx.serverName, req.roomId), ctx.storage.getPublishedRooms({})]);
  const inDirectory = new Set(published);
  return { rooms: rows.map((r) => ({ ...r, published: inDirectory.has(r.roomId) })) };
}
