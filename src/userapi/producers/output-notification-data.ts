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

/** Every message on {@link OutputNotificationData}. */
export type OutputNotificationDataMessage = NotificationCountsChanged;

/** The bus message for one change. */
export function notificationCountsMessage(change: Omit<NotificationCountsChanged, 'type'>): BusMessage<OutputNotificationDataMessage> {
  return { topic: OutputNotificationData, key: change.userId, payload: { type: 'notification_counts', ...change } };
}
