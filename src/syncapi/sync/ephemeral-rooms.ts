/**
 * What the typing, receipt and presence streams share: the user's joined rooms (typing and
 * receipts are for members only; presence for users sharing one), and the filter's
 * `room.ephemeral` and `presence` sections.
 */
import { matchesEventFilter } from '../filter/event-filter.js';
import { matchesPresenceFilter } from '../filter/presence-filter.js';
import { roomAllowed } from '../filter/room-filter.js';
import type { SyncRequestContext } from './stream-provider.js';

/** The rooms the user is joined to. */
export function joinedRoomIds(ctx: SyncRequestContext): string[] {
  return ctx.memberships.filter((m) => m.membership === 'join').map((m) => m.roomId);
}

/** Whether the filter lets ephemeral events of `type` through in `roomId` (its room list, then `room.ephemeral`). */
export function ephemeralAllowed(ctx: SyncRequestContext, roomId: string, type: string): boolean {
  return roomAllowed(roomId, ctx.filter.room) && matchesEventFilter({ type, roomId }, ctx.filter.room.ephemeral);
}

/** Whether the filter's `presence` section lets the presence of `userId` through. */
export function presenceAllowed(ctx: SyncRequestContext, userId: string): boolean {
  return matchesPresenceFilter(userId, ctx.filter.presence);
}
