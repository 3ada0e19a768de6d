/**
 * `OutputNotificationData`: a user's unread notification counts in one room changed (a new
 * notifying event, or a read receipt that cleared some), for the syncapi's `notification_data`
 * stream (`unread_notifications` of `/sync`). Keyed by user ID, so one user's changes arrive in
 * order.
 *
 * Durable: the counts are written with the notification rows and announced through the userapi's
 * outbox in the same transaction, so a consumer never misses the latest counts across a crash.
 */
import type { BusMessage, TopicSpec } from '../../internal/bus/bus.js';

/** The topic; owned by the userapi. */
export const OutputNotificationData: TopicSpec = { name: 'OutputNotificationData' };

/**
 * The counts of `userId` in `roomId` are now these. Consumers replace what they know; a
 * `streamPosition` they have already seen for the user is a duplicate.
 */
export interface NotificationCountsChanged {
  readonly type: 'notification_counts';
  readonly userId: string;
  readonly roomId: string;
  /** Unread notifying events (`notify` action) in the room. */
  readonly notificationCount: number;
  /** Unread events among them with the `highlight` tweak. */
  readonly highlightCount: number;
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
