/**
 * `performLeaveAllRooms`: what a deactivated account leaves behind. In every room where the
 * user is joined, invited or knocking a `leave` membership is sent (a leave, an invite
 * rejection, a rescinded knock), each through the ordinary membership path. One room failing
 * does not stop the others: it is logged and reported.
 */
import type { PerformLeaveAllRoomsRequest, PerformLeaveAllRoomsResponse } from '../api.js';
import { performMembership } from './perform-membership.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** The memberships a leave ends. */
const LEAVABLE = ['join', 'invite', 'knock'] as const;

/** Leaves every room the user is in, invited to or knocking on. */
export async function performLeaveAllRooms(ctx: RoomserverInternalContext, req: PerformLeaveAllRoomsRequest): Promise<PerformLeaveAllRoomsResponse> {
  const lists = await Promise.all(LEAVABLE.map((m) => ctx.storage.getRoomsForUser(req.userId, m)));
  const roomIds = [...new Set(lists.flat())].sort();
  const left: string[] = [];
  const failed: string[] = [];
  // One room at a time: each leave runs in its room's queue, and a big account should not flood them all at once.
  for (const roomId of roomIds) {
    try {
      await performMembership(ctx, { action: 'leave', roomId, sender: req.userId, target: req.userId, ...(req.reason !== undefined ? { reason: req.reason } : {}) });
      left.push(roomId);
    } catch (e) {
      ctx.logger?.warn({ err: e, roomId, userId: req.userId }, 'roomserver: leaving a room of a deactivated account failed');
      failed.push(roomId);
    }
  }
  return { leftRoomIds: left, failedRoomIds: failed };
}
