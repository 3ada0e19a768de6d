/**
 * The NATS JetStream bus (DESIGN §3): a stream per topic, a subject per ordering key, a durable
 * pull consumer per consumer name, and an outbox table in each producer's database. See the
 * README next to this file for the choices.
 *
 * The connection (`connect-nats.ts`) waits for a first server for ever and reconnects for ever,
 * with a growing delay; while it is down `problems()` says so, publishes wait (and fail after
 * `publishTimeoutMs`), and subscriptions resume on their own when it is back.
 */
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { nuid, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { Bus, BusMessage, Subscription } from '../bus.js';
import type { RelayOutbox } from '../relay-outbox.js';
import { createAsyncPublisher } from './async-publisher.js';
import { createBusHealth, type BusHealth } from './bus-health.js';
import { connectNats } from './connect-nats.js';
import { exponentialBackoff } from './key-dispatcher.js';
import { payloadJson } from './message-envelope.js';
import { assertName } from './nats-names.js';
import { createNatsOutbox } from './nats-outbox.js';
import { subscribeNats, type NatsSubscriptionDeps } from './nats-subscription.js';
import { publishMessages, type OutgoingMessage } from './publish-messages.js';
import { createTopicStreams } from './topic-streams.js';

export interface NatsBusOptions {
  /** NATS URLs (`bus.nats.servers`). */
  readonly servers: string | readonly string[];
  /** Prefix of stream names and subjects (`bus.nats.prefix`); default `axon`. */
  readonly prefix?: string;
  readonly logger?: Logger;
  /** Client name shown by the server's monitoring. */
  readonly name?: string;
  /** How long durable topics keep messages, read or not; default 7 days, 0 for ever. */
  readonly retentionMs?: number;
  /** Copies of each stream in a NATS cluster; default 1. */
  readonly replicas?: number;
  /** How long the server waits for an ack before redelivering; default 30 s. */
  readonly ackWaitMs?: number;
  /** Unacknowledged deliveries per consumer; default 1000. */
  readonly maxAckPending?: number;
  /** Redelivery delay after a handler error; default 1 s doubling up to 60 s. */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number };
  /** How long a publish waits for the stream's ack (also while reconnecting); default 10 s. */
  readonly publishTimeoutMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Connects to NATS and returns the bus. While no server answers it keeps trying (warning every
 * few attempts) and does not resolve, so a process started before its NATS waits for it rather
 * than crashing, and listens only once connected. Fails when a server answers but JetStream is
 * not enabled on it.
 */
export async function createNatsBus(opts: NatsBusOptions): Promise<Bus> {
  const prefix = opts.prefix ?? 'axon';
  assertName('prefix', prefix);
  const logger = opts.logger?.child({ bus: 'nats' });
  const health = createBusHealth();
  const { nc, watching } = await connectNats({
    servers: typeof opts.servers === 'string' ? [opts.servers] : opts.servers,
    name: opts.name ?? 'axon',
    health,
    logger,
  });
  try {
    const jsm = await jetstreamManager(nc);
    return assembleBus(opts, prefix, nc, jsm, health, watching, logger);
  } catch (e) {
    await nc.close();
    throw e;
  }
}

function assembleBus(
  opts: NatsBusOptions,
  prefix: string,
  nc: NatsConnection,
  jsm: JetStreamManager,
  health: BusHealth,
  watching: Promise<void>,
  logger: Logger | undefined,
): Bus {
  const publishTimeoutMs = opts.publishTimeoutMs ?? 10_000;
  const streams = createTopicStreams(jsm, {
    prefix,
    retentionMs: opts.retentionMs ?? 7 * DAY_MS,
    replicas: opts.replicas ?? 1,
    createTimeoutMs: publishTimeoutMs,
  });
  const publisher = createAsyncPublisher(nc, publishTimeoutMs);
  const publish = (messages: readonly OutgoingMessage[]) => publishMessages(publisher, streams, messages);
  const retry = opts.retry ?? { initialMs: 1000, maxMs: 60_000 };
  const deps: NatsSubscriptionDeps = {
    nc,
    js: jsm.jetstream(),
    jsm,
    streams,
    health,
    logger,
    consumer: { ackWaitMs: opts.ackWaitMs ?? 30_000, maxAckPending: opts.maxAckPending ?? 1000 },
    retryDelayMs: exponentialBackoff(retry.initialMs, retry.maxMs),
  };
  const subscriptions = new Set<Subscription>();
  const outboxes = new Set<RelayOutbox>();
  let closed = false;
  const open = () => {
    if (closed) throw new Error('the NATS bus is closed');
  };

  return {
    async publish(messages: readonly BusMessage[]) {
      open();
      await publish(messages.map((m) => ({ topic: m.topic, key: m.key, id: nuid.next(), payloadJson: payloadJson(m.payload) })));
    },
    async subscribe(sopts) {
      open();
      const sub = await subscribeNats(deps, sopts);
      const tracked: Subscription = {
        stop: async () => {
          subscriptions.delete(tracked);
          await sub.stop();
        },
      };
      subscriptions.add(tracked);
      return tracked;
    },
    async outbox(database, name) {
      open();
      const outbox = await createNatsOutbox(database, name, publish, logger);
      outboxes.add(outbox);
      return outbox;
    },
    problems: () => health.list(),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      await Promise.all([...outboxes].map((o) => o.close()));
      // Send the last acks before closing; do not hang on a server that is down.
      await Promise.race([nc.flush().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
      publisher.close();
      await nc.close();
      await watching;
    },
  };
}
