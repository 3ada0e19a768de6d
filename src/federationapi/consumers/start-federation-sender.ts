/**
 * The federation sender as the component starts it: the outbound queues (resuming what an
 * earlier process left queued) fed by the consumers of every topic that goes to other servers.
 *
 * Sharded (`shard`), each instance consumes every message under its own durable consumer names
 * and queues only for the destinations it owns (`queue/shard.ts`); it also acts on `heardFrom`
 * only for those, so in a sharded deployment inbound requests must reach the owner's
 * `heardFrom` for a blacklisted destination to come back before a restart.
 */
import type { Logger } from 'pino';
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import type { FederationClient } from '../client/federation-client.js';
import type { BackoffPolicy } from '../queue/backoff-policy.js';
import { createOutboundQueues } from '../queue/outbound-queues.js';
import type { ShardSpec } from '../queue/shard.js';
import type { QueueStorage } from '../storage/queue-storage.js';
import { startReceiptsConsumer } from './clientapi-receipts.js';
import { startTypingConsumer } from './clientapi-typing.js';
import { startRoomserverConsumer } from './roomserver.js';
import { createJoinedServersCache } from './joined-servers-cache.js';
import type { SenderDeps, SenderRoomserverAPI } from './sender-deps.js';
import { startPresenceConsumer } from './userapi-presence.js';
import { startSendToDeviceConsumer } from './send-to-device.js';
import { startKeyChangeConsumer } from './userapi-key-change.js';

/** Options of {@link startFederationSender}. */
export interface FederationSenderOptions {
  readonly bus: Bus;
  readonly storage: QueueStorage;
  /** Only `request` is used. */
  readonly client: Pick<FederationClient, 'request'>;
  readonly roomserver: SenderRoomserverAPI;
  readonly serverName: string;
  readonly logger: Logger;
  /** The clock (ms); `Date.now` by default. */
  readonly now?: () => number;
  /** The backoff schedule (defaults: 10 s doubling, 1 h cap, blacklisted after 24 h). */
  readonly backoff?: Partial<BackoffPolicy>;
  /** This instance's share of the destinations; all of them by default. */
  readonly shard?: ShardSpec;
}

/** A running sender. */
export interface FederationSender {
  /** A request from `serverName` arrived: retry it now, and lift its blacklist. Never rejects. */
  heardFrom(serverName: string): Promise<void>;
  /** Stops consuming, then stops the queues (what is queued stays for the next start). */
  stop(): Promise<void>;
}

/** Resumes persisted work and subscribes the consumers. */
export async function startFederationSender(o: FederationSenderOptions): Promise<FederationSender> {
  const now = o.now ?? Date.now;
  const queues = createOutboundQueues({ storage: o.storage, client: o.client, serverName: o.serverName, logger: o.logger, now, backoff: o.backoff, shard: o.shard });
  const deps: SenderDeps = { queues, roomserver: o.roomserver, serverName: o.serverName, now, joinedServers: createJoinedServersCache() };
  // Each instance of a sharded sender needs every message, hence a consumer name of its own.
  const suffix = o.shard !== undefined && o.shard.count > 1 ? `-shard${o.shard.index}of${o.shard.count}` : '';
  await queues.resume();
  const subscriptions: Subscription[] = [];
  try {
    subscriptions.push(await startRoomserverConsumer(o.bus, deps, suffix));
    subscriptions.push(await startTypingConsumer(o.bus, deps, suffix));
    subscriptions.push(await startReceiptsConsumer(o.bus, deps, suffix));
    subscriptions.push(await startPresenceConsumer(o.bus, deps, suffix));
    subscriptions.push(await startSendToDeviceConsumer(o.bus, deps, suffix));
    subscriptions.push(await startKeyChangeConsumer(o.bus, deps, suffix));
  } catch (err) {
    await Promise.all(subscriptions.map((s) => s.stop()));
    await queues.stop();
    throw err;
  }
  return {
    heardFrom: (serverName) => queues.heardFrom(serverName),
    async stop() {
      await Promise.all(subscriptions.map((s) => s.stop()));
      await queues.stop();
    },
  };
}
