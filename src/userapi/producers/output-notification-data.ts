/**
 * `OutputNotificationData`: a user's unread notification counts in one room changed (a new
 * notifying event, or a read receipt that cleared some), for the syncapi's `notification_data`
 * stream (`unread_notifications` and `unread_thread_notifications` of `/sync`). Keyed by user
 * ID, so one user's changes arrive in order.
 *
 * The counts are the room's totals plus, only while some thread has unread notifications, the
 * split into main timeline and threads: the usual message (nobody uses threads) stays as small
 * as before, and a message without the split — also every message queued before thread counts
 * existed — means every unread notification is on the main timeline.
 *
 * Durable: the counts are written with the notification rows and announced through the userapi's
 * outbox in the same transaction, so a consumer never misses the latest counts across a crash.
 */
import type { BusMessage, TopicSpec } from '../../internal/bus/bus.js';

/** The topic; owned by the userapi. */
export const OutputNotificationData: TopicSpec = { name: 'OutputNotificationData' };

/** Unread counts of one timeline: the main one, a thread, or the whole room. */
export interface UnreadCounts {
  /** Unread notifying events (`notify` action). */
  readonly notificationCount: number;
  /** Unread events among them with the `highlight` tweak. */
  readonly highlightCount: number;
}

/**
 * The counts of `userId` in `roomId` are now these. Consumers replace what they know; a
 * `streamPosition` they have already seen for the user is a duplicate.
 */
export interface NotificationCountsChanged {
  readonly type: 'notification_counts';
  readonly userId: string;
  readonly roomId: string;
  /** Unread notifying events (`notify` action) in the room, every thread included. */
  readonly notificationCount: number;
  /** Unread events among them with the `highlight` tweak. */
  readonly highlightCount: number;
  /** The main timeline's share of the counts; absent: all of them (no thread has any unread). */
  readonly main?: UnreadCounts;
  /**
   * Unread counts per thread, by thread root ID, only threads with unread notifications; absent
   * when there are none.
   */
  readonly threads?: Readonly<Record<string, UnreadCounts>>;
  /** Position of this change in the userapi's per-server notification stream (monotonic). */
  readonly streamPosition: number;
}

/**
 * The counts of several users in one room changed at once (one event notified them all): each
 * entry means what a {@link NotificationCountsChanged} would. One message instead of one per
 * member keeps a message in a big room from costing the bus and every consumer a message per
 * recipient. Keyed by room ID; consumers compare positions per (user, room), so its order
 * relative to a user's single changes does not matter.
 */
export interface RoomNotificationCountsChanged {
  readonly type: 'room_notification_counts';
  readonly roomId: string;
  readonly changes: readonly Omit<NotificationCountsChanged, 'type' | 'roomId'>[];
}

/** Every message on {@link OutputNotificationData}. */
export type OutputNotificationDataMessage = NotificationCountsChanged | RoomNotificationCountsChanged;

/** The bus message for one change. */
export function notificationCountsMessage(change: Omit<NotificationCountsChanged, 'type'>): BusMessage<OutputNotificationDataMessage> {
  return { topic: OutputNotificationData, key: change.userId, payload: { type: 'notification_counts', ...change } };
}

/** The bus message for the changes of several users in one room. */
export function roomNotificationCountsMessage(roomId: string, changes: RoomNotificationCountsChanged['changes']): BusMessage<OutputNotificationDataMessage> {
  return { topic: OutputNotificationData, key: roomId, payload: { type: 'room_notification_counts', roomId, changes } };
}

/** A message as the single changes it stands for. */
export function countsChangesOf(msg: OutputNotificationDataMessage): NotificationCountsChanged[] {
  switch (msg.type) {
    case 'notification_counts':
      return [msg];
    case 'room_notification_counts':
      return msg.changes.map((c) => ({ type: 'notification_counts', roomId: msg.roomId, ...c }));
    default: {
      const never: never = msg;
      throw new Error(`unknown OutputNotificationData message ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The main timeline's counts of a change: its `main`, else what its threads leave of the totals
 * (the totals themselves when it has none, as in every message from before thread counts).
 */
export function mainCountsOf(c: Pick<NotificationCountsChanged, 'notificationCount' | 'highlightCount' | 'main' | 'threads'>): UnreadCounts {
  if (c.main) return c.main;
  let { notificationCount, highlightCount } = c;
  for (const t of Object.values(c.threads ?? {})) {
    notificationCount -= t.notificationCount;
    highlightCount -= t.highlightCount;
  }
  return { notificationCount, highlightCount };
}
