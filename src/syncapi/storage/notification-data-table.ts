/**
 * Queries on `syncapi_notification_data`: each local user's unread notification counts per room,
 * positioned in the `notification_data` stream. A change deletes and inserts the (user, room)
 * row, so its position comes after every change committed before it. The userapi's own position
 * is kept per row only to drop redeliveries and stale messages of that room: it is compared per
 * (user, room), not per user, so a change of another room that reached us in another order than
 * the userapi numbered it (its rooms are processed in parallel) is never dropped.
 *
 * The counts are the room's totals; while some thread has unread notifications the row also
 * keeps the split into main timeline and threads (`thread_counts`, JSON), which `/sync` serves
 * to filters asking for `unread_thread_notifications`. NULL means every count is main-timeline.
 */
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import type { SyncDb } from './sync-db.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** Unread counts of one timeline (the main one or a thread). */
export interface TimelineCounts {
  readonly notificationCount: number;
  readonly highlightCount: number;
}

/** The split of a room's counts into main timeline and threads. */
export interface ThreadSplit {
  /** The main timeline's counts. */
  readonly main: TimelineCounts;
  /** Per thread root, only threads with unread notifications. */
  readonly threads: Readonly<Record<string, TimelineCounts>>;
}

/** New counts of a user in a room. */
export interface NotificationCountsWrite {
  readonly userId: string;
  readonly roomId: string;
  /** Totals: every thread. */
  readonly notificationCount: number;
  readonly highlightCount: number;
  /** The userapi's position of this change: one at or below the stored one is stale. */
  readonly sourcePosition: number;
  /** The split, when some thread has unread notifications; absent: every count is main-timeline. */
  readonly split?: ThreadSplit;
}

/** A user's stored counts in one room, with their `notification_data` position. */
export interface SyncNotificationCounts {
  readonly roomId: string;
  /** Totals: every thread. */
  readonly notificationCount: number;
  readonly highlightCount: number;
  readonly position: number;
  /** Present while some thread has unread notifications; absent: every count is main-timeline. */
  readonly split?: ThreadSplit;
}

/** `thread_counts` of a write: null unless some thread has unread notifications. */
function threadCountsText(split: ThreadSplit | undefined): string | null {
  const threads = Object.entries(split?.threads ?? {}).filter(([, c]) => c.notificationCount > 0);
  if (!split || threads.length === 0) return null;
  return JSON.stringify({ main: counts(split.main), threads: Object.fromEntries(threads.map(([root, c]) => [root, counts(c)])) });
}

/** Just the two numbers (a message may carry more). */
function counts(c: TimelineCounts): TimelineCounts {
  return { notificationCount: c.notificationCount, highlightCount: c.highlightCount };
}

const currentQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { userId: string; roomId: string }) =>
  db.selectFrom('syncapi_notification_data').select(['id', 'source_position']).where('user_id', '=', p.userId).where('room_id', '=', p.roomId),
);
const deleteQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { id: number }) => db.deleteFrom('syncapi_notification_data').where('id', '=', p.id));
const insertQuery = preparedQuery(
  (db: Kysely<SyncapiTables>, p: { userId: string; roomId: string; notifications: number; highlights: number; source: number; threads: string | null }) =>
    db
      .insertInto('syncapi_notification_data')
      .values({
        user_id: p.userId,
        room_id: p.roomId,
        notification_count: p.notifications,
        highlight_count: p.highlights,
        source_position: p.source,
        thread_counts: p.threads,
      })
      .returning('id'),
);

/**
 * Replaces the user's counts in the room (run inside a transaction). Their new position, or
 * undefined when the stored change is as new or newer (a redelivery, or a late one).
 */
export async function upsertNotificationCounts(t: SyncDb, w: NotificationCountsWrite): Promise<number | undefined> {
  const current = await currentQuery.first(t, { userId: w.userId, roomId: w.roomId });
  if (current && Number(current.source_position) >= w.sourcePosition) return undefined;
  if (current) await deleteQuery.run(t, { id: Number(current.id) });
  const row = await insertQuery.first(t, {
    userId: w.userId,
    roomId: w.roomId,
    notifications: w.notificationCount,
    highlights: w.highlightCount,
    source: w.sourcePosition,
    threads: threadCountsText(w.split),
  });
  return Number(row!.id);
}

// Run by every sync that has rooms to fill in (`notification-data-stream-provider.ts`).
const userQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { userId: string }) =>
  db
    .selectFrom('syncapi_notification_data')
    .select(['id', 'room_id', 'notification_count', 'highlight_count', 'thread_counts'])
    .where('user_id', '=', p.userId),
);

/** Every room's stored counts of `userId` (rooms never counted have no entry). */
export async function selectNotificationCounts(t: SyncDb, userId: string): Promise<SyncNotificationCounts[]> {
  const rows = await userQuery.all(t, { userId });
  return rows.map((r) => ({
    roomId: r.room_id,
    notificationCount: Number(r.notification_count),
    highlightCount: Number(r.highlight_count),
    position: Number(r.id),
    ...(r.thread_counts === null ? {} : { split: JSON.parse(r.thread_counts) as ThreadSplit }),
  }));
}

/** The latest `notification_data` position, 0 when nothing is stored. */
export async function selectLatestNotificationDataPosition(t: SyncDb): Promise<number> {
  const r = await t.db.selectFrom('syncapi_notification_data').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
  return r?.max === null || r?.max === undefined ? 0 : Number(r.max);
}
