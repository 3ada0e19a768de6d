/**
 * The membership queries, all answered from the membership table, which storage keeps in step
 * with the current state: one user in one room, a user's rooms, a room's members, its servers.
 */
import type {
  QueryJoinedServersRequest,
  QueryJoinedServersResponse,
  QueryMembersRequest,
  QueryMembersResponse,
  QueryMembershipRequest,
  QueryMembershipResponse,
  QueryRoomsForUserRequest,
  QueryRoomsForUserResponse,
} from '../api.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** The user's current membership in the room and its event, or nulls. */
export async function queryMembership(ctx: RoomserverInternalContext, req: QueryMembershipRequest): Promise<QueryMembershipResponse> {
  const m = await ctx.storage.getMembership(req.roomId, req.userId);
  return { membership: m?.membership ?? null, eventId: m?.eventId ?? null };
}

/** The rooms where the user's current membership is `membership`, sorted. */
export async function queryRoomsForUser(ctx: RoomserverInternalContext, req: QueryRoomsForUserRequest): Promise<QueryRoomsForUserResponse> {
  return { roomIds: await ctx.storage.getRoomsForUser(req.userId, req.membership) };
}

/** The room's users with `membership` (default `join`), sorted. */
export async function queryMembers(ctx: RoomserverInternalContext, req: QueryMembersRequest): Promise<QueryMembersResponse> {
  return { userIds: await ctx.storage.getMembers(req.roomId, req.membership ?? 'join') };
}

/** The servers of the room's joined users, sorted. */
export async function queryJoinedServers(ctx: RoomserverInternalContext, req: QueryJoinedServersRequest): Promise<QueryJoinedServersResponse> {
  return { serverNames: await ctx.storage.getJoinedServers(req.roomId) };
}
