/**
 * The syncapi's consumer of the userapi's `OutputNotificationData`: stores each user's latest
 * unread counts per room in `syncapi_notification_data` (the `notification_data` stream, served
 * as `unread_notifications` by `/sync`) and wakes that user's long-polls. One consumer per
 * deployment writes (`syncapi-notification-data`), one message at a time, so positions commit
 * in order. Idempotent: counts at or below the stored userapi position of that (user, room)
 * change nothing and wake nobody.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { OutputNotificationData, type OutputNotificationDataMessage } from '../../userapi/producers/output-notification-data.js';
import type { Notifier } from '../notifier.js';
import type { SyncStorage } from '../storage/index.js';
import type { NotificationDataPosition } from '../sync/notification-data-stream-provider.js';

/** The durable consumer name of the notification counts writer. */
export const SYNCAPI_NOTIFICATION_DATA_CONSUMER = 'syncapi-notification-data';

/** What the consumer changes. */
export interface NotificationDataConsumerDeps {
  readonly storage: Pick<SyncStorage, 'writeNotificationCounts'>;
  readonly notifier: Pick<Notifier, 'wakeUsers'>;
  /** Moved to each new position before the wake, so a woken sync reads up to it. */
  readonly position: NotificationDataPosition;
}

/** Handles one message; throws (to be redelivered) when storage fails. */
export async function handleNotificationData(deps: NotificationDataConsumerDeps, msg: OutputNotificationDataMessage): Promise<void> {
  switch (msg.type) {
    case 'notification_counts': {
      const position = await deps.storage.writeNotificationCounts({
        userId: msg.userId,
        roomId: msg.roomId,
        notificationCount: msg.notificationCount,
        highlightCount: msg.highlightCount,
        sourcePosition: msg.streamPosition,
      });
      if (position === undefined) return;
      deps.position.advance(position);
      deps.notifier.wakeUsers([msg.userId]);
      return;
    }
    default: {
      const never: never = msg.type;
      throw new Error(`syncapi: unknown OutputNotificationData message ${JSON.stringify(never)}`);
    }
  }
}

/** Subscribes the notification counts writer; stop the returned subscription on shutdown. */
export function startNotificationDataConsumer(bus: Bus, deps: NotificationDataConsumerDeps): Promise<Subscription> {
  return bus.subscribe<OutputNotificationDataMessage>({
    topic: OutputNotificationData,
    consumer: SYNCAPI_NOTIFICATION_DATA_CONSUMER,
    handler: (m) => handleNotificationData(deps, m.payload),
  });
}
