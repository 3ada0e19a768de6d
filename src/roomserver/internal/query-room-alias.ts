/** The alias queries: the room of one of this server's aliases, and a room's aliases here. */
import type { QueryAliasesForRoomRequest, QueryAliasesForRoomResponse, QueryRoomAliasRequest, QueryRoomAliasResponse } from '../api.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** The room the alias points to, or null. */
export async function queryRoomAlias(ctx: RoomserverInternalContext, req: QueryRoomAliasRequest): Promise<QueryRoomAliasResponse> {
  return { roomId: (await ctx.storage.getRoomAlias(req.alias))?.roomId ?? null };
}

/** Every alias of the room on this server, sorted. */
export async function queryAliasesForRoom(ctx: RoomserverInternalContext, req: QueryAliasesForRoomRequest): Promise<QueryAliasesForRoomResponse> {
  return { aliases: await ctx.storage.getAliasesForRoom(req.roomId) };
}
