/**
 * The notification storage of a fresh userapi test kit for one suite, with every
 * `OutputNotificationData` change it publishes collected (one entry per change, in position
 * order: a room's changes come as one message). Registers its own `before`/`after` hooks.
 */
import { after, before } from 'node:test';
import type { Subscription } from '../../src/internal/bus/bus.js';
import { countsChangesOf, OutputNotificationData, type NotificationCountsChanged, type OutputNotificationDataMessage } from '../../src/userapi/producers/output-notification-data.js';
import type { NewNotification, NotificationStorage } from '../../src/userapi/storage/notification-storage.js';
import type { BackendContext } from '../harness/describe-each-backend.js';
import { openUserapiTestKit, TEST_SERVER_NAME, type UserapiTestKit } from './userapi-test-kit.js';

export interface NotificationStorageFixture {
  /** Set once the suite's `before` ran. */
  kit: UserapiTestKit;
  n: NotificationStorage;
  readonly delivered: NotificationCountsChanged[];
  /** Flushes the outbox and waits until `count` changes were delivered (5 s at most). */
  waitFor(count: number): Promise<void>;
}

/** Call at the top of a suite; `consumer` names its bus subscription. */
export function notificationStorageFixture(ctx: BackendContext, consumer: string): NotificationStorageFixture {
  let sub: Subscription | undefined;
  const f: NotificationStorageFixture = {
    kit: undefined as unknown as UserapiTestKit,
    n: undefined as unknown as NotificationStorage,
    delivered: [],
    async waitFor(count) {
      await f.kit.outbox.flush();
      const deadline = Date.now() + 5000;
      while (f.delivered.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} OutputNotificationData messages, got ${f.delivered.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
  before(async () => {
    f.kit = await openUserapiTestKit(await ctx.open());
    f.n = f.kit.storage.notifications;
    sub = await f.kit.bus.subscribe<OutputNotificationDataMessage>({
      topic: OutputNotificationData,
      consumer,
      handler: async (m) => {
        f.delivered.push(...countsChangesOf(m.payload));
        f.delivered.sort((a, b) => a.streamPosition - b.streamPosition);
      },
    });
  });
  after(async () => {
    await sub?.stop();
    await f.kit.close();
  });
  return f;
}

/** The base time of the notification suites (ms since the epoch). */
export const T0 = 1_700_000_000_000;

/**
 * Builds notifications in `roomId` for the storage suites: on the main timeline, `notify`, not a
 * highlight, with event and notification times derived from the room position; `extra` overrides.
 */
export function notificationBuilder(roomId: string): (localpart: string, eventId: string, roomPosition: number, extra?: Partial<NewNotification>) => NewNotification {
  return (localpart, eventId, roomPosition, extra = {}) => ({
    localpart,
    userId: `@${localpart}:${TEST_SERVER_NAME}`,
    roomId,
    eventId,
    threadId: 'main',
    roomPosition,
    eventTs: T0 + roomPosition,
    ts: T0 + 1000 + roomPosition,
    highlight: false,
    actions: ['notify'],
    ...extra,
  });
}
