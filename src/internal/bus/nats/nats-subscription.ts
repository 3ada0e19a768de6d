/**
 * One `Bus.subscribe` on NATS: a durable pull consumer on the topic's stream, fed into a
 * {@link createKeyDispatcher} that keeps per-key order and acks after the handler.
 *
 * After a reconnect, or when the stream or consumer disappeared (a memory stream after a server
 * restart), the pull loop is restarted the way a new subscriber starts: finish what is running,
 * give back what is held, recreate what is missing, and replay the consumer from its ack floor
 * if it still has unacknowledged deliveries (see `ensure-consumer.ts`). That matters because
 * deliveries in flight when the connection dropped are lost, and JetStream would otherwise hand
 * out newer messages of their keys before redelivering them after the ack wait.
 */
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { SubscribeOptions, Subscription } from '../bus.js';
import type { BusHealth } from './bus-health.js';
import { ensureConsumer, type ConsumerSettings } from './ensure-consumer.js';
import { createKeyDispatcher, type Delivery, type KeyDispatcher } from './key-dispatcher.js';
import { decodeEnvelope } from './message-envelope.js';
import { assertName } from './nats-names.js';
import type { TopicStreams } from './topic-streams.js';

export interface NatsSubscriptionDeps {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly streams: TopicStreams;
  readonly health: BusHealth;
  readonly consumer: ConsumerSettings;
  readonly retryDelayMs: (deliveryCount: number) => number;
  readonly logger?: Logger;
}

/** Pull batch: enough to keep the handlers busy, small against `maxAckPending`. */
const MAX_BATCH = 256;
/** Wait between attempts to restart the pull loop. */
const RESTART_RETRY_MS = 1000;

type NatsDelivery<T> = Delivery & { readonly id: string; readonly payload: T };

export async function subscribeNats<T>(deps: NatsSubscriptionDeps, opts: SubscribeOptions<T>): Promise<Subscription> {
  assertName('consumer', opts.consumer);
  const concurrency = opts.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`concurrency must be a positive integer, got ${concurrency}`);
  const topic = opts.topic;
  const log = deps.logger?.child({ topic: topic.name, consumer: opts.consumer });
  const source = `subscription ${topic.name}/${opts.consumer}`;
  let stream = await deps.streams.ensure(topic);
  await ensureConsumer(deps.jsm, stream.stream, opts.consumer, { ...deps.consumer, replay: true }, log);

  const newDispatcher = () =>
    createKeyDispatcher<NatsDelivery<T>>({
      concurrency,
      ackWaitMs: deps.consumer.ackWaitMs,
      retryDelayMs: deps.retryDelayMs,
      handle: (d) => opts.handler({ id: d.id, topic: topic.name, key: d.key, payload: d.payload, deliveryCount: d.deliveryCount }),
      onHandlerError: (d, err) => log?.warn({ err, id: d.id, key: d.key, deliveryCount: d.deliveryCount }, 'bus: handler failed; will retry'),
    });
  let dispatcher: KeyDispatcher<NatsDelivery<T>> = newDispatcher();

  const onMessage = (msg: JsMsg) => {
    const env = decodeEnvelope(msg.data);
    if (!env) {
      // Not something a bus producer wrote: retrying cannot help, and it would block its key.
      log?.error({ seq: msg.seq, subject: msg.subject }, 'bus: dropping a malformed message');
      msg.term('malformed');
      return;
    }
    dispatcher.push({
      seq: msg.seq,
      key: env.key,
      id: env.id,
      payload: env.payload as T,
      deliveryCount: msg.info.deliveryCount,
      ack: () => safely(() => msg.ack()),
      nak: (ms) => safely(() => msg.nak(ms)),
      working: () => safely(() => msg.working()),
    });
  };
  // Acks go out as plain publishes; one that cannot be sent (connection closed) only means a
  // redelivery later, never a reason to fail the dispatcher.
  const safely = (send: () => void) => {
    try {
      send();
    } catch (err) {
      log?.debug({ err }, 'bus: could not send an acknowledgement');
    }
  };

  let current: ConsumerMessages | undefined;
  let stopped = false;
  let restarting: Promise<void> | undefined;
  const restart = (why: string) => {
    if (!stopped) restarting ??= restartPullLoop(why).finally(() => (restarting = undefined));
  };

  const consume = async () => {
    const consumer = await deps.js.consumers.get(stream.stream, opts.consumer);
    const messages = await consumer.consume({ max_messages: Math.min(MAX_BATCH, deps.consumer.maxAckPending), callback: onMessage });
    current = messages;
    void (async () => {
      for await (const s of messages.status()) {
        const lost = s.type === 'consumer_not_found' || s.type === 'stream_not_found' || s.type === 'consumer_deleted';
        if (lost && messages === current) restart(s.type);
      }
    })();
  };

  const restartPullLoop = async (why: string) => {
    log?.info({ why }, 'bus: restarting a subscription pull loop');
    await current?.close();
    while (!stopped) {
      try {
        deps.streams.forget(topic);
        const now = await deps.streams.ensure(topic);
        // A recreated stream numbers its messages from 1 again: what we hold belongs to the old
        // one, and acks or naks for it must not reach the new consumer.
        await dispatcher.stop({ giveBack: now.created === stream.created });
        stream = now;
        // Our last acks and naks must reach the server before it is asked what is unacknowledged.
        await deps.nc.flush();
        await ensureConsumer(deps.jsm, stream.stream, opts.consumer, { ...deps.consumer, replay: true }, log);
        if (stopped) return;
        dispatcher = newDispatcher();
        await consume();
        deps.health.set(source, undefined);
        return;
      } catch (err) {
        deps.health.set(source, `NATS: ${source} cannot resume (${why}): ${(err as Error).message}`);
        log?.warn({ err }, 'bus: restarting a subscription failed; retrying');
        await new Promise((r) => setTimeout(r, RESTART_RETRY_MS));
      }
    }
  };

  void (async () => {
    for await (const s of deps.nc.status()) {
      if (stopped) break;
      if (s.type === 'reconnect') restart('reconnected');
    }
  })();

  await consume();
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      await restarting;
      await current?.close();
      await dispatcher.stop();
      deps.health.set(source, undefined);
    },
  };
}
