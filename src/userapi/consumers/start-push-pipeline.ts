/**
 * Starts the userapi's notification pipeline: the push consumer of `OutputRoomEvent`, the
 * receipt consumer of `OutputReceiptEvent`, the push-rules cache with its invalidation, the
 * background sender to push gateways (under the outbound network policy), and a daily pruning of
 * read notifications older than 30 days.
 *
 * Before the consumers start, the pushes a previous process left in `userapi_push_queue`
 * (pending, or waiting for a retry, when it stopped or died) are handed to the sender again:
 * those under a day old whose notification is still unread; the rest are deleted unsent. Only
 * one userapi process may run the pipeline on a database, or each would resend the other's
 * pushes in flight.
 */
import type { Logger } from 'pino';
import type { Bus, Outbox } from '../../internal/bus/bus.js';
import type { NetworkGuard } from '../../internal/net/network-guard.js';
import { inChunks } from '../../internal/sqlutil/in-chunks.js';
import type { UserRoomserverAPI } from '../../roomserver/api.js';
import type { UserAPI } from '../api.js';
import { localpartOf } from '../internal/user-internal-context.js';
import { createPushGatewayClient, type PushGatewayClient } from '../pushgateway/push-gateway-client.js';
import type { UserStorage } from '../storage/index.js';
import { startReceiptConsumer } from './clientapi.js';
import { createEventPositions } from './event-positions.js';
import { createPushRoomCache } from './push-room-cache.js';
import { createPushRulesCache, startPushRulesInvalidation } from './push-rules-cache.js';
import { createPushSender, type PushSender } from './push-sender.js';
import { startPushConsumer } from './roomserver-push.js';

/** Read notifications older than this may go. */
export const READ_NOTIFICATION_RETENTION_MS = 30 * 24 * 3600_000;
const PRUNE_INTERVAL_MS = 24 * 3600_000;

/**
 * A queued push older than this is deleted unsent: a day-old banner is noise. Also what keeps a
 * queue row from outliving its notification for long: a row whose notification is pruned (or
 * whose deletion failed) is swept daily and at each start by this rule, so pruning notifications
 * need not look at the queue.
 */
export const QUEUED_PUSH_MAX_AGE_MS = 24 * 3600_000;

/**
 * Queued pushes resent per start at most, oldest first; any more wait for the next start (a
 * backlog that size means gateways were down for long, and the sender's memory queue is bounded).
 */
export const RESENT_PUSHES_PER_START = 5_000;

/** Pushes per sender job when resending (one read of their users' pushers each). */
const RESEND_BATCH = 500;

/** What the pipeline needs. */
export interface PushPipelineOptions {
  readonly bus: Bus;
  readonly outbox: Outbox;
  readonly storage: UserStorage;
  readonly roomserver: Pick<UserRoomserverAPI, 'queryState' | 'queryEvents'>;
  /** The userapi itself: deleting pushers a gateway rejected. */
  readonly api: Pick<UserAPI, 'performPusherSet'>;
  readonly serverName: string;
  /** The outbound network policy pusher URLs must pass. */
  readonly guard: NetworkGuard;
  /** A gateway client to use instead of one built on `guard` (tests). */
  readonly gateway?: PushGatewayClient;
  /** Delays between a push's attempts (the sender's default when absent; tests). */
  readonly retryDelaysMs?: readonly number[];
  readonly logger?: Logger;
}

/** The started pipeline. */
export interface PushPipeline {
  readonly sender: PushSender;
  stop(): Promise<void>;
}

/** Starts the consumers and the sender. */
export async function startPushPipeline(opts: PushPipelineOptions): Promise<PushPipeline> {
  const { bus, storage, serverName, logger } = opts;
  const flushOutbox = async () => {
    try {
      await opts.outbox.flush();
    } catch (err) {
      logger?.warn({ err }, 'push: publishing notification counts failed; they stay queued');
    }
  };
  const gateway = opts.gateway ?? createPushGatewayClient({ guard: opts.guard, userAgent: 'Axon (push)', logger });
  const pushersOf = async (userIds: readonly string[]) => {
    const localparts = new Map<string, string>();
    for (const userId of userIds) {
      const localpart = localpartOf({ serverName }, userId);
      if (localpart !== undefined) localparts.set(localpart, userId);
    }
    const byLocalpart = await storage.pushers.getPushersOf([...localparts.keys()]);
    return new Map([...byLocalpart].map(([localpart, list]) => [localparts.get(localpart) ?? localpart, list]));
  };
  const dequeue = (ids: readonly number[]) => storage.notifications.deleteQueuedPushes(ids);
  const sender = createPushSender({ gateway, api: opts.api, pushersOf, dequeue, logger, ...(opts.retryDelaysMs ? { retryDelaysMs: opts.retryDelaysMs } : {}) });
  await resendQueuedPushes(storage, sender, logger);
  const rules = createPushRulesCache(storage);
  const positions = createEventPositions();
  const invalidation = await startPushRulesInvalidation(bus, rules);
  const rooms = createPushRoomCache(opts.roomserver);
  const push = await startPushConsumer(bus, { storage, serverName, rules, rooms, positions, sender, flushOutbox, logger });
  const receipts = await startReceiptConsumer(bus, { storage, roomserver: opts.roomserver, serverName, positions, flushOutbox, logger });
  const prune = setInterval(() => {
    storage.notifications
      .pruneReadNotifications(Date.now() - READ_NOTIFICATION_RETENTION_MS)
      .catch((err: unknown) => logger?.warn({ err }, 'push: pruning read notifications failed'));
    storage.notifications
      .deleteQueuedPushesBefore(Date.now() - QUEUED_PUSH_MAX_AGE_MS)
      .catch((err: unknown) => logger?.warn({ err }, 'push: pruning stale queued pushes failed'));
  }, PRUNE_INTERVAL_MS);
  prune.unref();
  return {
    sender,
    async stop() {
      clearInterval(prune);
      await Promise.all([push.stop(), receipts.stop(), invalidation.stop()]);
      await sender.stop();
    },
  };
}

/**
 * Hands the pushes left queued by a previous process to the sender: the oldest
 * {@link RESENT_PUSHES_PER_START} under a day old whose notification is still unread. Older
 * ones, and those whose notification was read, redacted or pruned since, are deleted unsent. A
 * failure is logged, not fatal: the rows stay for the next start.
 */
async function resendQueuedPushes(storage: UserStorage, sender: PushSender, logger: Logger | undefined): Promise<void> {
  const n = storage.notifications;
  try {
    const stale = await n.deleteQueuedPushesBefore(Date.now() - QUEUED_PUSH_MAX_AGE_MS);
    if (stale > 0) logger?.info({ count: stale }, 'push: dropped queued pushes older than a day without sending them');
    const queued = await n.getQueuedPushes(RESENT_PUSHES_PER_START);
    const settled = queued.filter((q) => !q.pending).map((q) => q.notificationId);
    if (settled.length > 0) {
      await n.deleteQueuedPushes(settled);
      logger?.info({ count: settled.length }, 'push: dropped queued pushes of notifications read since');
    }
    const pending = queued.filter((q) => q.pending);
    for (const part of inChunks(pending, RESEND_BATCH)) sender.enqueue(part.map((q) => ({ notificationId: q.notificationId, content: q.content })));
    if (pending.length > 0) logger?.info({ count: pending.length }, 'push: resending pushes queued before the restart');
  } catch (err) {
    logger?.warn({ err }, 'push: reading the push queue failed; queued pushes wait for the next start');
  }
}
