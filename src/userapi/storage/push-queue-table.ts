/**
 * `userapi_push_queue`: one row per notification whose push to the user's gateways is not done
 * yet, so a push pending or waiting for a retry when the process stops is sent at the next start.
 * The row is written in the transaction that stores the notification, and deleted by the push
 * sender once every gateway request of it has finished (delivered, rejected or given up).
 *
 * `content` is the JSON of the push's `PushContent` (`consumers/push-payload.ts`): everything the
 * sender needs but the pushers, which are read again when it is sent (they may have changed).
 * Only users with an `http` pusher get rows: most members of a room have none, and a push for
 * them would be read, found to have no target, and deleted for nothing.
 */
import type { Kysely } from 'kysely';
import { inChunks } from '../../internal/sqlutil/in-chunks.js';
import { NOTIFICATION_CHUNK, type NotificationTables } from './notifications-table.js';

/** `userapi_push_queue` as Kysely sees it. */
export interface PushQueueTable {
  /** The `userapi_notifications.id` of the notification to push. */
  notification_id: number;
  localpart: string;
  /** The push's `PushContent` as JSON text. */
  content: string;
  /** When the notification was made (ms since the epoch). */
  created_ts: number;
}

/** A queued row, with the state of its notification. */
export interface QueuedPushRow {
  readonly notificationId: number;
  readonly localpart: string;
  /** JSON text of the `PushContent`. */
  readonly content: string;
  readonly createdTs: number;
  /** The notification is still stored and unread (not read, redacted or pruned since). */
  readonly pending: boolean;
}

/** Which of `localparts` have at least one `http` pusher (those a push can reach). */
export async function selectLocalpartsWithHttpPushers(db: Kysely<NotificationTables>, localparts: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of inChunks(localparts, NOTIFICATION_CHUNK)) {
    const rows = await db.selectFrom('userapi_pushers').select('localpart').distinct().where('localpart', 'in', part).where('kind', '=', 'http').execute();
    for (const r of rows) found.add(r.localpart);
  }
  return found;
}

/** Inserts queue rows (their notifications are new, so their IDs are too). */
export async function insertQueuedPushes(db: Kysely<NotificationTables>, rows: readonly PushQueueTable[]): Promise<void> {
  for (const part of inChunks(rows, NOTIFICATION_CHUNK)) await db.insertInto('userapi_push_queue').values(part).execute();
}

/** At most `limit` rows, oldest notification first, each with whether its notification is still unread. */
export async function selectQueuedPushes(db: Kysely<NotificationTables>, limit: number): Promise<QueuedPushRow[]> {
  const rows = await db
    .selectFrom('userapi_push_queue as q')
    .leftJoin('userapi_notifications as n', 'n.id', 'q.notification_id')
    .select(['q.notification_id', 'q.localpart', 'q.content', 'q.created_ts', 'n.read'])
    .orderBy('q.notification_id')
    .limit(limit)
    .execute();
  // BIGINT columns come back as strings from pg; a missing notification joins as null.
  return rows.map((r) => ({
    notificationId: Number(r.notification_id),
    localpart: r.localpart,
    content: r.content,
    createdTs: Number(r.created_ts),
    pending: r.read !== null && Number(r.read) === 0,
  }));
}

/** Deletes the rows of these notifications (those already gone are ignored). */
export async function deleteQueuedPushes(db: Kysely<NotificationTables>, notificationIds: readonly number[]): Promise<void> {
  for (const part of inChunks(notificationIds, NOTIFICATION_CHUNK)) await db.deleteFrom('userapi_push_queue').where('notification_id', 'in', part).execute();
}

/** Deletes rows made before `beforeTs`; how many. */
export async function deleteQueuedPushesBefore(db: Kysely<NotificationTables>, beforeTs: number): Promise<number> {
  const res = await db.deleteFrom('userapi_push_queue').where('created_ts', '<', beforeTs).executeTakeFirst();
  return Number(res.numDeletedRows);
}
