/**
 * Starts the userapi's notification pipeline: the push consumer of `OutputRoomEvent`, the
 * receipt consumer of `OutputReceiptEvent`, the push-rules cache with its invalidation, the
 * background sender to push gateways (under the outbound network policy), and a daily pruning of
 * read notifications older than 30 days.
 */
import type { Logger } from 'pino';
import type { Bus, Outbox } from '../../internal/bus/bus.js';
import type { NetworkGuard } from '../../internal/net/network-guard.js';
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
  const sender = createPushSender({ gateway, api: opts.api, pushersOf, logger });
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
