/**
 * The `notification_data` stream: `unread_notifications` ({notification_count, highlight_count})
 * of joined rooms, from the counts the userapi announces (`consumers/userapi-notification-data.ts`).
 * Every joined room a response carries gets both numbers (0 when nothing was ever counted), as
 * Synapse does, so a client never keeps a stale count for a room it is shown; a room whose counts
 * changed in the range appears in `rooms.join` even when nothing else happened in it (a read
 * receipt sent from another device clears its badge). The room filter's `rooms` / `not_rooms`
 * apply.
 *
 * With `unread_thread_notifications: true` on the timeline filter (spec v1.4),
 * `unread_notifications` counts the main timeline only and `unread_thread_notifications` the
 * threads with unread notifications, by root (absent when none); otherwise `unread_notifications`
 * counts every thread. A change of one thread's counts moves the room's position like any other,
 * so it brings the room into an incremental sync either way.
 *
 * Runs after the streams that create joined rooms (`pdu`, `typing`, `receipt`, `account_data`),
 * so it sees every room they put in the response. Positions are global, so the latest is kept in
 * memory by the writing consumer ({@link NotificationDataPosition}) and an idle long-poll costs
 * no query: storage is read only when the range holds changes or the response has rooms to fill.
 */
import { roomAllowed } from '../filter/room-filter.js';
import type { SyncNotificationCounts, SyncStorage, TimelineCounts } from '../storage/index.js';
import { joinedRoomIds } from './ephemeral-rooms.js';
import type { StreamProvider, SyncRequestContext } from './stream-provider.js';
import { joinedRoom } from './sync-response.js';

/** The latest `notification_data` position, read once at start and moved by the consumer's writes. */
export interface NotificationDataPosition {
  get(): number;
  /** Counts written at `position` (a lower one is ignored). */
  advance(position: number): void;
}

/** The tracker, starting at `initial` (the storage's latest). */
export function createNotificationDataPosition(initial: number): NotificationDataPosition {
  let latest = initial;
  return {
    get: () => latest,
    advance(position) {
      if (position > latest) latest = position;
    },
  };
}

/** What the provider reads. */
export type NotificationDataStorage = Pick<SyncStorage, 'notificationCounts'>;

/** The `notification_data` stream's provider. */
export function notificationDataStreamProvider(storage: NotificationDataStorage, position: NotificationDataPosition): StreamProvider {
  const read = async (ctx: SyncRequestContext, from: number, to: number) => {
    if (to <= from && Object.keys(ctx.response.rooms.join).length === 0) return;
    const counts = await storage.notificationCounts(ctx.userId);
    addChangedRooms(ctx, counts, from, to);
    writeCounts(ctx, counts);
  };
  return {
    stream: 'notification_data',
    latest: async () => position.get(),
    initial: (ctx, to) => read(ctx, 0, to),
    incremental: (ctx, from, to) => read(ctx, from, to),
  };
}

/** Puts in `rooms.join` the joined rooms (the filter allowing) whose counts moved in `(from, to]`. */
function addChangedRooms(ctx: SyncRequestContext, counts: readonly SyncNotificationCounts[], from: number, to: number): void {
  if (to <= from) return;
  const joined = new Set(joinedRoomIds(ctx));
  for (const c of counts) {
    if (c.position <= from || c.position > to) continue;
    if (joined.has(c.roomId) && roomAllowed(c.roomId, ctx.filter.room)) joinedRoom(ctx.response, c.roomId);
  }
}

/**
 * Sets `unread_notifications` of every joined room in the response (0/0 for rooms never
 * counted), and `unread_thread_notifications` where the filter asks and a thread has some.
 */
function writeCounts(ctx: SyncRequestContext, counts: readonly SyncNotificationCounts[]): void {
  const byThread = ctx.filter.room.timeline.unreadThreadNotifications;
  const byRoom = new Map(counts.map((c) => [c.roomId, c]));
  for (const [roomId, room] of Object.entries(ctx.response.rooms.join)) {
    const c = byRoom.get(roomId);
    if (!byThread || !c?.split) {
      room.unread_notifications = clientCounts(c ?? { notificationCount: 0, highlightCount: 0 });
      continue;
    }
    room.unread_notifications = clientCounts(c.split.main);
    const threads = Object.entries(c.split.threads).filter(([, t]) => t.notificationCount > 0);
    if (threads.length > 0) room.unread_thread_notifications = Object.fromEntries(threads.map(([root, t]) => [root, clientCounts(t)]));
  }
}

/** Counts as the spec spells them. */
function clientCounts(c: TimelineCounts): { notification_count: number; highlight_count: number } {
  return { notification_count: c.notificationCount, highlight_count: c.highlightCount };
}
