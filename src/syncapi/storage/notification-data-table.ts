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
import { inChunks, type SyncDb } from './sync-db.js';
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

/** Rows per statement of a batch (the insert binds 6 values a row). */
const ROWS_PER_STATEMENT = 100;

/**
 * Replaces users' counts (run inside a transaction), a few set-wide statements per room rather
 * than three per user: one message carries the counts of every member an event notified. Each
 * write's new position, or undefined when the stored change of that (user, room) is as new or
 * newer (a redelivery, or a late one) — or a later write of the same batch replaces it.
 */
export async function upsertNotificationCounts(t: SyncDb, ws: readonly NotificationCountsWrite[]): Promise<(number | undefined)[]> {
  const positions: (number | undefined)[] = ws.map(() => undefined);
  // The newest write of each (room, user); ties keep the later one.
  const newest = new Map<string, Map<string, number>>();
  ws.forEach((w, i) => {
    let users = newest.get(w.roomId);
    if (!users) newest.set(w.roomId, (users = new Map()));
    const seen = users.get(w.userId);
    if (seen === undefined || ws[seen]!.sourcePosition <= w.sourcePosition) users.set(w.userId, i);
  });
  for (const [roomId, users] of newest) {
    for (const chunk of inChunks([...users.values()], ROWS_PER_STATEMENT)) {
      const current = await t.db
        .selectFrom('syncapi_notification_data')
        .select(['id', 'user_id', 'source_position'])
        .where('room_id', '=', roomId)
        .where('user_id', 'in', chunk.map((i) => ws[i]!.userId))
        .execute();
      const stored = new Map(current.map((r) => [r.user_id, { id: Number(r.id), source: Number(r.source_position) }]));
      const fresh = chunk.filter((i) => (stored.get(ws[i]!.userId)?.source ?? -1) < ws[i]!.sourcePosition);
      if (fresh.length === 0) continue;
      const replaced = fresh.flatMap((i) => stored.get(ws[i]!.userId)?.id ?? []);
      if (replaced.length > 0) await t.db.deleteFrom('syncapi_notification_data').where('id', 'in', replaced).execute();
      const inserted = await t.db
        .insertInto('syncapi_notification_data')
        .values(
          fresh.map((i) => {
            const w = ws[i]!;
            return {
              user_id: w.userId,
              room_id: roomId,
              notification_count: w.notificationCount,
              highlight_count: w.highlightCount,
              source_position: w.sourcePosition,
              thread_counts: threadCountsText(w.split),
            };
          }),
        )
        .returning(['id', 'user_id'])
        .execute();
      const idOf = new Map(inserted.map((r) => [r.user_id, Number(r.id)]));
      for (const i of fresh) positions[i] = idOf.get(ws[i]!.userId);
    }
  }
  return positions;
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
