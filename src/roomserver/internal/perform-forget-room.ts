/**
 * `performForgetRoom` and `queryForgottenRooms`. Forgetting is recorded against the user's
 * current membership event, so coming back to the room (a rejoin, an invite) un-forgets it
 * without anyone clearing the record (see `storage/forgotten-table.ts`).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformForgetRoomRequest, PerformForgetRoomResponse, QueryForgottenRoomsRequest, QueryForgottenRoomsResponse } from '../api.js';
import type { RoomserverRecords } from '../storage/roomserver-records.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Memberships one must leave before forgetting: the spec's "still in the room". */
const STILL_IN_ROOM = new Set(['join', 'invite', 'knock']);

/**
 * Forgets the room for the user; `forgotten: false` when they never were in it.
 * @throws MatrixError 400 M_UNKNOWN while the user is joined (or invited, or knocking).
 */
export async function performForgetRoom(ctx: RoomserverInternalContext, records: RoomserverRecords, req: PerformForgetRoomRequest): Promise<PerformForgetRoomResponse> {
  const m = await ctx.storage.getMembership(req.roomId, req.userId);
  if (!m) return { forgotten: false };
  if (STILL_IN_ROOM.has(m.membership)) throw MatrixError.unknown(`You are still in ${req.roomId} (membership ${m.membership}); leave it first`);
  await records.forgetRoom(req.userId, req.roomId, m.eventId, ctx.now());
  return { forgotten: true };
}

/** The rooms the user forgot whose membership has not moved since. */
export async function queryForgottenRooms(ctx: RoomserverInternalContext, records: RoomserverRecords, req: QueryForgottenRoomsRequest): Promise<QueryForgottenRoomsResponse> {
  const forgotten = await records.getForgotten(req.userId);
  const current = await Promise.all([...forgotten.keys()].map(async (roomId) => [roomId, await ctx.storage.getMembership(roomId, req.userId)] as const));
  const roomIds = current.filter(([roomId, m]) => m !== undefined && m.eventId === forgotten.get(roomId)).map(([roomId]) => roomId);
  return { roomIds: roomIds.sort() };
}
