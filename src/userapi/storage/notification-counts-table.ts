/**
 * `userapi_notification_counts`: each local user's unread notifications per (room, thread),
 * kept as numbers rather than counted. Counting unread rows costs as many rows as a user has
 * unread, and a user who never reads a busy room has thousands: every message there would then
 * cost every member's count in time. A new notification adds one to its row; a receipt or a
 * redaction counts the user's remaining unread rows in that room again (what a receipt reads is
 * bounded by the room, and it is rare next to messages), so a count never drifts from the rows.
 * A row whose counts reach zero is deleted.
 */
import type { Kysely } from 'kysely';
import { inChunks } from '../../internal/sqlutil/in-chunks.js';
import type { UnreadCounts } from '../producers/output-notification-data.js';
import { MAIN_TIMELINE, NOTIFICATION_CHUNK, type NotificationTables, type RoomNotificationCounts } from './notifications-table.js';

/** `userapi_notification_counts` as Kysely sees it. */
export interface NotificationCountsTable {
  localpart: string;
  room_id: string;
  thread_id: string;
  notification_count: number;
  highlight_count: number;
}

type Db = Kysely<NotificationTables>;

/** Nothing unread. */
export const NO_COUNTS: RoomNotificationCounts = { notificationCount: 0, highlightCount: 0 };

/** A room's counts from its unread counts per thread ({@link MAIN_TIMELINE} included). */
export function roomCountsOf(perThread: ReadonlyMap<string, UnreadCounts>): RoomNotificationCounts {
  let notificationCount = 0;
  let highlightCount = 0;
  const threads: [string, UnreadCounts][] = [];
  for (const [threadId, c] of perThread) {
    notificationCount += c.notificationCount;
    highlightCount += c.highlightCount;
    if (threadId !== MAIN_TIMELINE && c.notificationCount > 0) threads.push([threadId, c]);
  }
  if (threads.length === 0) return { notificationCount, highlightCount };
  const main = perThread.get(MAIN_TIMELINE) ?? NO_COUNTS;
  // fromEntries: every key an own property, whatever a remote event named its thread root.
  return { notificationCount, highlightCount, main, threads: Object.fromEntries(threads) };
}


/** Unread notifications to add to one (user, room, thread). */
export interface CountIncrement {
  readonly localpart: string;
  readonly roomId: string;
  readonly threadId: string;
  readonly notifications: number;
  readonly highlights: number;
}

/** Adds new unread notifications to their counts (run in the transaction inserting them). */
export async function addToCounts(db: Db, increments: readonly CountIncrement[]): Promise<void> {
  // One row per key: an upsert may not touch the same row twice in one statement (PostgreSQL).
  const merged = new Map<string, CountIncrement>();
  for (const inc of increments) {
    if (inc.notifications === 0) continue;
    const key = JSON.stringify([inc.localpart, inc.roomId, inc.threadId]);
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, notifications: seen.notifications + inc.notifications, highlights: seen.highlights + inc.highlights } : inc);
  }
  for (const part of inChunks([...merged.values()], NOTIFICATION_CHUNK)) {
    await db
      .insertInto('userapi_notification_counts')
      .values(part.map((i) => ({ localpart: i.localpart, room_id: i.roomId, thread_id: i.threadId, notification_count: i.notifications, highlight_count: i.highlights })))
      .onConflict((oc) =>
        oc.columns(['localpart', 'room_id', 'thread_id']).doUpdateSet((eb) => ({
          notification_count: eb('userapi_notification_counts.notification_count', '+', eb.ref('excluded.notification_count')),
          highlight_count: eb('userapi_notification_counts.highlight_count', '+', eb.ref('excluded.highlight_count')),
        })),
      )
      .execute();
  }
}

/** Counts the user's unread rows in the room again (after some were marked read or deleted). */
export async function recountRoom(db: Db, localpart: string, roomId: string): Promise<void> {
  await db.deleteFrom('userapi_notification_counts').where('localpart', '=', localpart).where('room_id', '=', roomId).execute();
  await db
    .insertInto('userapi_notification_counts')
    .columns(['localpart', 'room_id', 'thread_id', 'notification_count', 'highlight_count'])
    .expression((eb) =>
      eb
        .selectFrom('userapi_notifications')
        .select((s) => ['localpart', 'room_id', 'thread_id', s.fn.countAll<number>().as('n'), s.fn.sum<number>('highlight').as('h')])
        .where('localpart', '=', localpart)
        .where('room_id', '=', roomId)
        .where('read', '=', 0)
        .groupBy(['localpart', 'room_id', 'thread_id']),
    )
    .execute();
}

/** Unread counts in the room of each of `localparts` (absent: none unread). */
export async function selectRoomCountsOf(db: Db, roomId: string, localparts: readonly string[]): Promise<Map<string, RoomNotificationCounts>> {
  const perThread = new Map<string, Map<string, UnreadCounts>>();
  for (const part of inChunks(localparts, NOTIFICATION_CHUNK)) {
    const rows = await db
      .selectFrom('userapi_notification_counts')
      .select(['localpart', 'thread_id', 'notification_count', 'highlight_count'])
      .where('room_id', '=', roomId)
      .where('localpart', 'in', part)
      .execute();
    for (const r of rows) {
      let threads = perThread.get(r.localpart);
      if (!threads) perThread.set(r.localpart, (threads = new Map()));
      threads.set(r.thread_id, { notificationCount: Number(r.notification_count), highlightCount: Number(r.highlight_count) });
    }
  }
  return new Map([...perThread].map(([localpart, threads]) => [localpart, roomCountsOf(threads)]));
}

/** The user's unread counts in the room. */
export async function selectRoomCounts(db: Db, localpart: string, roomId: string): Promise<RoomNotificationCounts> {
  return (await selectRoomCountsOf(db, roomId, [localpart])).get(localpart) ?? NO_COUNTS;
}

/** Unread notifications across all rooms of each of `localparts` (absent: none). */
export async function selectUnreadTotalsOf(db: Db, localparts: readonly string[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const part of inChunks(localparts, NOTIFICATION_CHUNK)) {
    const rows = await db
      .selectFrom('userapi_notification_counts')
      .select((eb) => ['localpart', eb.fn.sum<number | string>('notification_count').as('n')])
      .where('localpart', 'in', part)
      .groupBy('localpart')
      .execute();
    for (const r of rows) totals.set(r.localpart, Number(r.n));
  }
  return totals;
}

/** The user's unread notifications across all rooms. */
export async function selectUnreadTotal(db: Db, localpart: string): Promise<number> {
  return (await selectUnreadTotalsOf(db, [localpart])).get(localpart) ?? 0;
}
