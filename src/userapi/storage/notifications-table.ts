/**
 * Queries on `userapi_notifications`: one row per (local user, event) that notified the user,
 * with the event's room stream position (receipts mark rows read up to a position), its
 * `origin_server_ts` (the fallback when a receipt's position is unknown) and the actions of the
 * rule that matched. The event itself is not copied here: a message in a big room notifies
 * every local member, and `/notifications` fetches one page of events from the roomserver
 * instead (which also serves them redacted once redacted).
 *
 * Each row also names the event's thread (`thread_id`: the thread root's event ID, or
 * {@link MAIN_TIMELINE}): threaded read receipts mark one thread read, and `/sync` can split
 * the counts by thread.
 *
 * Row IDs are positions of the notification stream (`userapi_notification_stream`): each write
 * that changes counts takes the next one from the single counter row, which PostgreSQL keeps
 * locked until the writing transaction commits, so positions commit in order.
 */
import type { Kysely } from 'kysely';
import { inChunks } from '../../internal/sqlutil/in-chunks.js';
import { MAIN_THREAD } from '../../matrix/thread-link.js';
import type { UnreadCounts } from '../producers/output-notification-data.js';
import type { NotificationCountsTable } from './notification-counts-table.js';
import type { NotificationReadMarkersTable } from './notification-read-markers-table.js';
import type { PushersTable } from './pushers-table.js';
import type { PushQueueTable } from './push-queue-table.js';

/** `userapi_notifications` as Kysely sees it. */
export interface NotificationsTable {
  id: number;
  localpart: string;
  room_id: string;
  event_id: string;
  room_pos: number;
  event_ts: number;
  ts: number;
  /** 0/1. */
  highlight: number;
  /** The matched rule's actions as JSON text. */
  actions: string;
  /** 0/1. */
  read: number;
  /** The thread root's event ID, or {@link MAIN_TIMELINE}. */
  thread_id: string;
}

/** The thread ID of the main timeline (thread roots are on it too), as receipts name it. */
export const MAIN_TIMELINE = MAIN_THREAD;

/** The counter row of the notification stream. */
export interface NotificationStreamTable {
  id: number;
  position: number;
}

/** The notification tables. */
export interface NotificationTables {
  userapi_notifications: NotificationsTable;
  userapi_notification_stream: NotificationStreamTable;
  userapi_notification_read_markers: NotificationReadMarkersTable;
  userapi_notification_counts: NotificationCountsTable;
  userapi_push_queue: PushQueueTable;
  /** Read only: whether a user has a pusher to queue a push for. */
  userapi_pushers: PushersTable;
}

/** The one row of `userapi_notification_stream`. */
const COUNTER_ID = 1;

/** A stored notification. */
export interface StoredNotification {
  /** Its notification stream position (the `/notifications` pagination basis). */
  readonly id: number;
  readonly localpart: string;
  readonly roomId: string;
  readonly eventId: string;
  readonly roomPosition: number;
  readonly eventTs: number;
  readonly ts: number;
  readonly highlight: boolean;
  /** JSON text of the actions. */
  readonly actions: string;
  readonly read: boolean;
}

/**
 * Unread counts of one user in one room: the totals, and while some thread has unread
 * notifications the split into main timeline and threads (the shape `OutputNotificationData`
 * carries).
 */
export interface RoomNotificationCounts extends UnreadCounts {
  /** The main timeline's counts; absent: equal to the totals. */
  readonly main?: UnreadCounts;
  /** Per thread root, only threads with unread notifications; absent when none has any. */
  readonly threads?: Readonly<Record<string, UnreadCounts>>;
}

/** Which notifications a receipt reads: one thread's (or {@link MAIN_TIMELINE}'s), or, `null`, all the room's. */
export type ReadScope = string | null;

/** Takes the next `n` notification stream positions (locks the counter row until commit on PostgreSQL); the last of them. */
export async function nextNotificationPositions(db: Kysely<NotificationTables>, n: number): Promise<number> {
  const row = await db
    .insertInto('userapi_notification_stream')
    .values({ id: COUNTER_ID, position: n })
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ position: eb('userapi_notification_stream.position', '+', n) })))
    .returning('position')
    .executeTakeFirstOrThrow();
  return Number(row.position);
}

/** Takes the next notification stream position. */
export function nextNotificationPosition(db: Kysely<NotificationTables>): Promise<number> {
  return nextNotificationPositions(db, 1);
}

/** The latest notification stream position handed out, 0 when none. */
export async function latestNotificationPosition(db: Kysely<NotificationTables>): Promise<number> {
  const row = await db.selectFrom('userapi_notification_stream').select('position').where('id', '=', COUNTER_ID).executeTakeFirst();
  return row ? Number(row.position) : 0;
}

/** Users or rows per statement: bound parameters stay far below every engine's limit. */
export const NOTIFICATION_CHUNK = 200;

/** Which of `localparts` already have a row for the event (a redelivered event). */
export async function selectNotifiedLocalparts(db: Kysely<NotificationTables>, eventId: string, localparts: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of inChunks(localparts, NOTIFICATION_CHUNK)) {
    const rows = await db.selectFrom('userapi_notifications').select('localpart').where('event_id', '=', eventId).where('localpart', 'in', part).execute();
    for (const r of rows) found.add(r.localpart);
  }
  return found;
}

/** Inserts rows (the caller skipped those {@link selectNotifiedLocalparts} found, in the same transaction). */
export async function insertNotifications(db: Kysely<NotificationTables>, rows: readonly NotificationsTable[]): Promise<void> {
  for (const part of inChunks(rows, NOTIFICATION_CHUNK)) await db.insertInto('userapi_notifications').values(part).execute();
}

/** Where a receipt reads up to: a room stream position, or (when unknown) an event timestamp. */
export type ReadBound = { readonly roomPosition: number } | { readonly eventTs: number };

/** Marks the user's unread rows in the room (of `scope`'s thread only, unless null) up to `bound` read; how many changed. */
export async function updateRead(db: Kysely<NotificationTables>, localpart: string, roomId: string, bound: ReadBound, scope: ReadScope): Promise<number> {
  let q = db.updateTable('userapi_notifications').set({ read: 1 }).where('localpart', '=', localpart).where('room_id', '=', roomId).where('read', '=', 0);
  if (scope !== null) q = q.where('thread_id', '=', scope);
  q = 'roomPosition' in bound ? q.where('room_pos', '<=', bound.roomPosition) : q.where('event_ts', '<=', bound.eventTs);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** The room position of an event, from any user's row for it. */
export async function selectEventRoomPosition(db: Kysely<NotificationTables>, eventId: string): Promise<number | undefined> {
  const row = await db.selectFrom('userapi_notifications').select('room_pos').where('event_id', '=', eventId).limit(1).executeTakeFirst();
  return row ? Number(row.room_pos) : undefined;
}

/** The thread of an event, from any user's row for it. */
export async function selectEventThread(db: Kysely<NotificationTables>, eventId: string): Promise<string | undefined> {
  const row = await db.selectFrom('userapi_notifications').select('thread_id').where('event_id', '=', eventId).limit(1).executeTakeFirst();
  return row?.thread_id;
}

/** Every row of an event (any user). */
export async function selectEventNotifications(db: Kysely<NotificationTables>, eventId: string): Promise<StoredNotification[]> {
  const rows = await db.selectFrom('userapi_notifications').selectAll().where('event_id', '=', eventId).execute();
  return rows.map(notificationView);
}

/** Deletes every row of an event. */
export async function deleteEventNotifications(db: Kysely<NotificationTables>, eventId: string): Promise<void> {
  await db.deleteFrom('userapi_notifications').where('event_id', '=', eventId).execute();
}

/** A page of the user's notifications, newest first, below `before` when given. */
export async function selectNotifications(
  db: Kysely<NotificationTables>,
  localpart: string,
  page: { readonly before: number | undefined; readonly limit: number; readonly onlyHighlight: boolean },
): Promise<StoredNotification[]> {
  let q = db.selectFrom('userapi_notifications').selectAll().where('localpart', '=', localpart);
  if (page.before !== undefined) q = q.where('id', '<', page.before);
  if (page.onlyHighlight) q = q.where('highlight', '=', 1);
  const rows = await q.orderBy('id', 'desc').limit(page.limit).execute();
  return rows.map(notificationView);
}

/** Deletes read rows created before `beforeTs`; how many. */
export async function deleteOldRead(db: Kysely<NotificationTables>, beforeTs: number): Promise<number> {
  const res = await db.deleteFrom('userapi_notifications').where('read', '=', 1).where('ts', '<', beforeTs).executeTakeFirst();
  return Number(res.numDeletedRows);
}

function notificationView(r: NotificationsTable): StoredNotification {
  // BIGINT columns come back as strings from pg.
  return {
    id: Number(r.id),
    localpart: r.localpart,
    roomId: r.room_id,
    eventId: r.event_id,
    roomPosition: Number(r.room_pos),
    eventTs: Number(r.event_ts),
    ts: Number(r.ts),
    highlight: Number(r.highlight) === 1,
    actions: r.actions,
    read: Number(r.read) === 1,
  };
}
