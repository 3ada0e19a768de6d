/**
 * The notification part of the userapi's storage (`UserStorage.notifications`): notifications
 * of local users, their unread counts (totals, and per thread while a thread has unread ones),
 * and the `OutputNotificationData` messages announcing count changes, queued in the userapi's
 * outbox in the same transaction as the change. Receipts read one thread, the main timeline, or
 * (unthreaded) every thread of a room.
 *
 * It also keeps the durable push queue (`push-queue-table.ts`): a notification stored unread for
 * a user with an http pusher queues its push in the same transaction, so a push is never lost
 * between the commit and the gateway, whatever stops the process.
 */
import type { Transaction } from 'kysely';
import type { Outbox } from '../../internal/bus/bus.js';
import type { Database } from '../../internal/sqlutil/database.js';
import { groupBy } from '../../internal/util/group-by.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import type { JsonValue } from '../../matrix/json.js';
import type { PushContent } from '../consumers/push-payload.js';
import { notificationCountsMessage, roomNotificationCountsMessage } from '../producers/output-notification-data.js';
import * as markers from './notification-read-markers-table.js';
import * as counts from './notification-counts-table.js';
import { NO_COUNTS } from './notification-counts-table.js';
import * as table from './notifications-table.js';
import type { NotificationTables, ReadBound, ReadScope, RoomNotificationCounts, StoredNotification } from './notifications-table.js';
import * as queue from './push-queue-table.js';

export type { ReadBound, ReadScope, RoomNotificationCounts, StoredNotification };
export { MAIN_TIMELINE } from './notifications-table.js';

/** One notification to store. */
export interface NewNotification {
  readonly localpart: string;
  /** The full user ID, for the bus message. */
  readonly userId: string;
  readonly roomId: string;
  readonly eventId: string;
  /** The event's thread: its thread root's event ID, or `main` (`MAIN_TIMELINE`). */
  readonly threadId: string;
  /** The event's room stream position (`OutputRoomEvent`). */
  readonly roomPosition: number;
  /** The event's `origin_server_ts`. */
  readonly eventTs: number;
  /** When the notification was made (ms since the epoch). */
  readonly ts: number;
  readonly highlight: boolean;
  readonly actions: readonly JsonValue[];
  /**
   * Present: push it. Its push is queued (`userapi_push_queue`) when it is stored unread and the
   * user has an http pusher; the IDs and `unread` of the {@link PushContent} are added here.
   */
  readonly push?: NotificationPush;
}

/** A notification's {@link PushContent} but what storage knows or counts. */
export type NotificationPush = Omit<PushContent, 'eventId' | 'roomId' | 'userId' | 'unread'>;

/** A stored notification and the user's counts after it. */
export interface AddedNotification {
  /** Its ID (the notification stream position of its insertion, as `streamPosition`). */
  readonly id: number;
  readonly notification: NewNotification;
  /** Stored as read: the user's receipt had already passed the event. */
  readonly read: boolean;
  /** The user's unread counts in the room now. */
  readonly counts: RoomNotificationCounts;
  /** The user's unread notifications across all rooms now (`counts.unread` of a push). */
  readonly unreadTotal: number;
  readonly streamPosition: number;
  /** The push queued for it; undefined when none was (no `push`, read, or no http pusher). */
  readonly queuedPush: PushContent | undefined;
}

/** A push waiting in the queue. */
export interface QueuedPush {
  /** Its notification's ID. */
  readonly notificationId: number;
  readonly content: PushContent;
  /** When the notification was made (ms since the epoch). */
  readonly createdTs: number;
  /** Its notification is still stored and unread (false: read, redacted or pruned since). */
  readonly pending: boolean;
}

/** The user's counts in a room after a change. */
export interface CountsChange extends RoomNotificationCounts {
  readonly streamPosition: number;
}

/** A page of notifications. */
export interface NotificationPage {
  /** Only rows with a smaller ID (the previous page's last). */
  readonly before: number | undefined;
  readonly limit: number;
  readonly onlyHighlight: boolean;
}

export interface NotificationStorage {
  /**
   * Stores notifications (those a user already has for the event are skipped: redelivery) and
   * queues one `OutputNotificationData` per stored row, in one transaction. The stored ones.
   */
  addNotifications(batch: readonly NewNotification[]): Promise<AddedNotification[]>;
  /**
   * Marks the user's unread notifications in the room up to `bound` read — those of the thread
   * `scope` names (a thread root, or `main`), or all the room's for `null` (an unthreaded
   * receipt, the default) — and, when any were, queues the new counts. The change, or undefined
   * when nothing was unread up to there.
   */
  markNotificationsRead(localpart: string, roomId: string, bound: ReadBound, scope?: ReadScope): Promise<CountsChange | undefined>;
  /** Deletes an event's notifications (it was redacted), queuing the new counts of users who had it unread. */
  removeEventNotifications(eventId: string): Promise<void>;
  /** The room stream position of an event some local user was notified of. */
  getEventRoomPosition(eventId: string): Promise<number | undefined>;
  /** The thread of an event some local user was notified of. */
  getEventThread(eventId: string): Promise<string | undefined>;
  /** The user's notifications, newest first. */
  getNotifications(localpart: string, page: NotificationPage): Promise<StoredNotification[]>;
  /** The user's unread notifications across all rooms. */
  getUnreadTotal(localpart: string): Promise<number>;
  /** The user's unread counts in a room. */
  getRoomCounts(localpart: string, roomId: string): Promise<RoomNotificationCounts>;
  /** The latest notification stream position, 0 when none. */
  getNotificationPosition(): Promise<number>;
  /**
   * Deletes read notifications made before `beforeTs`; how many. Their queued pushes, if any,
   * stay: {@link getQueuedPushes} reports them not pending, and they are old enough for
   * {@link deleteQueuedPushesBefore} anyway.
   */
  pruneReadNotifications(beforeTs: number): Promise<number>;
  /** At most `limit` queued pushes, oldest notification first. */
  getQueuedPushes(limit: number): Promise<QueuedPush[]>;
  /** Deletes the queued pushes of these notifications (their push is done or dropped). */
  deleteQueuedPushes(notificationIds: readonly number[]): Promise<void>;
  /** Deletes the queued pushes of notifications made before `beforeTs`; how many. */
  deleteQueuedPushesBefore(beforeTs: number): Promise<number>;
}

/** The batch without notifications users already have (a redelivered event) or that repeat. */
async function unnotified(trx: Transaction<NotificationTables>, batch: readonly NewNotification[]): Promise<NewNotification[]> {
  const fresh: NewNotification[] = [];
  for (const [eventId, list] of groupBy(batch, (n) => n.eventId)) {
    const known = await table.selectNotifiedLocalparts(trx, eventId, list.map((n) => n.localpart));
    for (const n of list) {
      if (known.has(n.localpart)) continue;
      known.add(n.localpart);
      fresh.push(n);
    }
  }
  return fresh;
}

/**
 * Queues the pushes of `unread` (fresh notifications stored unread) that ask for one, for users
 * with an http pusher: one read of the pushers for the batch, nothing more when nobody has one
 * (inside `trx`). The content queued for each.
 */
async function queuePushes(
  trx: Transaction<NotificationTables>,
  unread: readonly NewNotification[],
  positionOf: ReadonlyMap<NewNotification, number>,
  totals: ReadonlyMap<string, number>,
): Promise<Map<NewNotification, PushContent>> {
  const out = new Map<NewNotification, PushContent>();
  const wanted = unread.filter((n) => n.push !== undefined);
  if (wanted.length === 0) return out;
  const reachable = await queue.selectLocalpartsWithHttpPushers(trx, [...new Set(wanted.map((n) => n.localpart))]);
  if (reachable.size === 0) return out;
  const rows: queue.PushQueueTable[] = [];
  for (const n of wanted) {
    if (!n.push || !reachable.has(n.localpart)) continue;
    const content: PushContent = { ...n.push, eventId: n.eventId, roomId: n.roomId, userId: n.userId, unread: totals.get(n.localpart) ?? 0 };
    out.set(n, content);
    rows.push({ notification_id: positionOf.get(n)!, localpart: n.localpart, content: JSON.stringify(content), created_ts: n.ts });
  }
  await queue.insertQueuedPushes(trx, rows);
  return out;
}

/** The notification storage over the userapi's (already migrated) database. */
export function createNotificationStorage(database: Database, opts: { readonly outbox?: Outbox; readonly serverName?: string }): NotificationStorage {
  const db = typedDb<NotificationTables>(database);
  const outbox = (): Outbox => {
    if (!opts.outbox) throw new Error('userapi storage was opened without the bus outbox; notifications cannot be written');
    return opts.outbox;
  };
  const userIdOf = (localpart: string): string => {
    if (opts.serverName === undefined) throw new Error('userapi storage was opened without the server name; notification counts cannot be announced');
    return `@${localpart}:${opts.serverName}`;
  };

  /** Takes a position and queues the user's counts in the room (inside `trx`). */
  const announce = async (trx: Transaction<NotificationTables>, userId: string, localpart: string, roomId: string): Promise<CountsChange> => {
    const streamPosition = await table.nextNotificationPosition(trx);
    const now = await counts.selectRoomCounts(trx, localpart, roomId);
    await outbox().add(trx, [notificationCountsMessage({ userId, roomId, ...now, streamPosition })]);
    return { ...now, streamPosition };
  };

  /**
   * Queues, as one message, the counts in `roomId` of users whose counts there changed, each at
   * the position given (inside `trx`); each user's counts now.
   */
  const announceRoom = async (
    trx: Transaction<NotificationTables>,
    roomId: string,
    users: readonly { readonly localpart: string; readonly userId: string; readonly streamPosition: number }[],
  ): Promise<Map<string, RoomNotificationCounts>> => {
    const inRoom = await counts.selectRoomCountsOf(trx, roomId, users.map((u) => u.localpart));
    const changes = users.map((u) => ({ userId: u.userId, ...(inRoom.get(u.localpart) ?? NO_COUNTS), streamPosition: u.streamPosition }));
    await outbox().add(trx, [roomNotificationCountsMessage(roomId, changes)]);
    return inRoom;
  };

  return {
    async addNotifications(batch) {
      if (batch.length === 0) return [];
      outbox();
      // A few set-wide statements per room, not a handful per recipient.
      return db.transaction().execute(async (trx) => {
        const fresh = await unnotified(trx, batch);
        if (fresh.length === 0) return [];
        const first = (await table.nextNotificationPositions(trx, fresh.length)) - fresh.length + 1;
        const rooms = groupBy(fresh, (n) => n.roomId);
        // A receipt handled before this event's notifications already read past it.
        const read = new Set<NewNotification>();
        for (const [roomId, list] of rooms) {
          const found = await markers.selectReadMarkers(trx, roomId, list.map((n) => n.localpart), list.map((n) => n.threadId));
          for (const n of list) if (markers.readByMarkers(found.get(n.localpart), n.threadId, n.roomPosition)) read.add(n);
        }
        await table.insertNotifications(
          trx,
          fresh.map((n, i) => ({
            id: first + i,
            localpart: n.localpart,
            room_id: n.roomId,
            event_id: n.eventId,
            room_pos: n.roomPosition,
            event_ts: n.eventTs,
            ts: n.ts,
            highlight: n.highlight ? 1 : 0,
            actions: JSON.stringify(n.actions),
            read: read.has(n) ? 1 : 0,
            thread_id: n.threadId,
          })),
        );
        await counts.addToCounts(
          trx,
          fresh.filter((n) => !read.has(n)).map((n) => ({ localpart: n.localpart, roomId: n.roomId, threadId: n.threadId, notifications: 1, highlights: n.highlight ? 1 : 0 })),
        );
        const totals = await counts.selectUnreadTotalsOf(trx, fresh.map((n) => n.localpart));
        const positionOf = new Map(fresh.map((n, i) => [n, first + i]));
        const pushes = await queuePushes(trx, fresh.filter((n) => !read.has(n)), positionOf, totals);
        const countsOf = new Map<NewNotification, RoomNotificationCounts>();
        for (const [roomId, list] of rooms) {
          const inRoom = await announceRoom(trx, roomId, list.map((n) => ({ localpart: n.localpart, userId: n.userId, streamPosition: positionOf.get(n)! })));
          for (const n of list) countsOf.set(n, inRoom.get(n.localpart) ?? NO_COUNTS);
        }
        return fresh.map((n, i) => ({
          notification: n,
          read: read.has(n),
          counts: countsOf.get(n) ?? NO_COUNTS,
          unreadTotal: totals.get(n.localpart) ?? 0,
          streamPosition: first + i,
          id: first + i,
          queuedPush: pushes.get(n),
        }));
      });
    },

    async markNotificationsRead(localpart, roomId, bound, scope = null) {
      const userId = userIdOf(localpart);
      outbox();
      return db.transaction().execute(async (trx) => {
        if ('roomPosition' in bound) await markers.raiseReadMarker(trx, localpart, roomId, scope, bound.roomPosition);
        if ((await table.updateRead(trx, localpart, roomId, bound, scope)) === 0) return undefined;
        await counts.recountRoom(trx, localpart, roomId);
        return announce(trx, userId, localpart, roomId);
      });
    },

    async removeEventNotifications(eventId) {
      outbox();
      await db.transaction().execute(async (trx) => {
        const rows = await table.selectEventNotifications(trx, eventId);
        if (rows.length === 0) return;
        await table.deleteEventNotifications(trx, eventId);
        // A redacted event is no banner: pushes not sent yet are not sent after a restart either.
        await queue.deleteQueuedPushes(trx, rows.map((r) => r.id));
        const unread = rows.filter((r) => !r.read);
        if (unread.length === 0) return;
        for (const r of unread) await counts.recountRoom(trx, r.localpart, r.roomId);
        const first = (await table.nextNotificationPositions(trx, unread.length)) - unread.length + 1;
        const positionOf = new Map(unread.map((r, i) => [r, first + i]));
        for (const [roomId, list] of groupBy(unread, (r) => r.roomId)) {
          await announceRoom(trx, roomId, list.map((r) => ({ localpart: r.localpart, userId: userIdOf(r.localpart), streamPosition: positionOf.get(r)! })));
        }
      });
    },

    getEventRoomPosition: (eventId) => table.selectEventRoomPosition(db, eventId),
    getEventThread: (eventId) => table.selectEventThread(db, eventId),
    getNotifications: (localpart, page) => table.selectNotifications(db, localpart, page),
    getUnreadTotal: (localpart) => counts.selectUnreadTotal(db, localpart),
    getRoomCounts: (localpart, roomId) => counts.selectRoomCounts(db, localpart, roomId),
    getNotificationPosition: () => table.latestNotificationPosition(db),
    pruneReadNotifications: (beforeTs) => table.deleteOldRead(db, beforeTs),
    async getQueuedPushes(limit) {
      const rows = await queue.selectQueuedPushes(db, limit);
      return rows.map((r) => ({ notificationId: r.notificationId, content: JSON.parse(r.content) as PushContent, createdTs: r.createdTs, pending: r.pending }));
    },
    deleteQueuedPushes: (notificationIds) => queue.deleteQueuedPushes(db, notificationIds),
    deleteQueuedPushesBefore: (beforeTs) => queue.deleteQueuedPushesBefore(db, beforeTs),
  };
}
