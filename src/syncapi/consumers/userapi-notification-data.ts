/**
 * The syncapi's consumer of the userapi's `OutputNotificationData`: stores each user's latest
 * unread counts per room in `syncapi_notification_data` (the `notification_data` stream, served
 * as `unread_notifications` and `unread_thread_notifications` by `/sync`) and wakes that user's
 * long-polls. A message without a thread split (all main-timeline, as every message queued
 * before thread counts existed) is stored without one. One consumer per
 * deployment writes (`syncapi-notification-data`), one message at a time, so positions commit
 * in order. Idempotent: counts at or below the stored userapi position of that (user, room)
 * change nothing and wake nobody.
 *
 * The wake is deferred a little and coalesced per user. Counts follow the events that changed
 * them on another topic, so they usually land just after the event's own wake has answered the
 * user's long-poll; waking at once would cost every member of a busy room a second, count-only
 * `/sync` round trip per message. Deferred, the counts ride along with whatever answers the
 * user next (the next message), and the deferred wake then finds nothing new and answers
 * nothing; in a quiet room it delivers them after the delay. The stream position moves at once,
 * so any sync that runs meanwhile includes them.
 */
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import {
  countsChangesOf,
  mainCountsOf,
  OutputNotificationData,
  type NotificationCountsChanged,
  type OutputNotificationDataMessage,
} from '../../userapi/producers/output-notification-data.js';
import type { Notifier } from '../notifier.js';
import type { NotificationCountsWrite, SyncStorage } from '../storage/index.js';
import type { NotificationDataPosition } from '../sync/notification-data-stream-provider.js';

/** The durable consumer name of the notification counts writer. */
export const SYNCAPI_NOTIFICATION_DATA_CONSUMER = 'syncapi-notification-data';

/** What the consumer changes. */
export interface NotificationDataConsumerDeps {
  readonly storage: Pick<SyncStorage, 'writeNotificationCounts'>;
  /** Moved to each new position before the wake, so a woken sync reads up to it. */
  readonly position: NotificationDataPosition;
  /** Wakes a user a little later, once for any number of changes meanwhile. */
  readonly wakeSoon: (userId: string) => void;
}

/** How long a count change may wait for something else to carry it (ms). */
export const COUNTS_WAKE_DELAY_MS = 250;

/** Deferred, per-user coalesced wakes; `flush` wakes everyone still waiting (shutdown). */
export function createDeferredWaker(notifier: Pick<Notifier, 'wakeUsers'>, delayMs = COUNTS_WAKE_DELAY_MS): { wakeSoon(userId: string): void; flush(): void } {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const users = [...pending];
    pending.clear();
    notifier.wakeUsers(users);
  };
  return {
    wakeSoon(userId) {
      pending.add(userId);
      timer ??= setTimeout(flush, delayMs);
    },
    flush,
  };
}

/** Handles one message; throws (to be redelivered) when storage fails. */
export async function handleNotificationData(deps: NotificationDataConsumerDeps, msg: OutputNotificationDataMessage): Promise<void> {
  // A room's batch is written in one transaction; a single change is a batch of one.
  const changes = countsChangesOf(msg);
  const positions = await deps.storage.writeNotificationCounts(changes.map(countsWrite));
  changes.forEach((c, i) => {
    const position = positions[i];
    if (position === undefined) return;
    deps.position.advance(position);
    deps.wakeSoon(c.userId);
  });
}

/** The storage write of one change. */
function countsWrite(c: NotificationCountsChanged): NotificationCountsWrite {
  const write = {
    userId: c.userId,
    roomId: c.roomId,
    notificationCount: c.notificationCount,
    highlightCount: c.highlightCount,
    sourcePosition: c.streamPosition,
  };
  const threaded = c.threads !== undefined && Object.keys(c.threads).length > 0;
  return threaded ? { ...write, split: { main: mainCountsOf(c), threads: c.threads ?? {} } } : write;
}

/** Subscribes the notification counts writer; stop the returned subscription on shutdown. */
export async function startNotificationDataConsumer(
  bus: Bus,
  deps: Omit<NotificationDataConsumerDeps, 'wakeSoon'> & { readonly notifier: Pick<Notifier, 'wakeUsers'>; readonly wakeDelayMs?: number },
): Promise<Subscription> {
  const waker = createDeferredWaker(deps.notifier, deps.wakeDelayMs);
  const sub = await bus.subscribe<OutputNotificationDataMessage>({
    topic: OutputNotificationData,
    consumer: SYNCAPI_NOTIFICATION_DATA_CONSUMER,
    handler: (m) => handleNotificationData({ ...deps, wakeSoon: waker.wakeSoon }, m.payload),
  });
  return {
    async stop() {
      await sub.stop();
      waker.flush();
    },
  };
}
