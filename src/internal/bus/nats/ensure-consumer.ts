/**
 * Creates or resumes the durable pull consumer behind a subscription.
 *
 * JetStream redelivers an unacknowledged message only once its ack wait expires, and meanwhile
 * hands out newer messages. If the previous holder of a consumer died (or stopped holding
 * messages), starting to pull would then run a key's newer messages before its older,
 * unacknowledged one. So when the consumer still has unacknowledged deliveries we recreate it at
 * its ack floor: everything from the oldest unacknowledged message on is delivered again, in
 * stream order. Messages acknowledged above the floor come again too, which at-least-once
 * delivery allows (consumers dedupe on `id`); with `concurrency` 1 acks follow stream order and
 * there are none.
 */
import { AckPolicy, DeliverPolicy, JetStreamApiError, ReplayPolicy, type ConsumerConfig, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from 'pino';

/** JetStream's "consumer not found". */
const CONSUMER_NOT_FOUND = 10014;

export interface ConsumerSettings {
  /** How long the server waits for an ack before redelivering. */
  readonly ackWaitMs: number;
  /** Deliveries outstanding at once: bounds what a subscriber holds in memory. */
  readonly maxAckPending: number;
}

/**
 * Makes sure the durable `name` exists on `stream`; with `replay`, replays it from its ack floor
 * when it was left with unacknowledged deliveries (a subscriber starting, not one recovering).
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  name: string,
  settings: ConsumerSettings & { readonly replay: boolean },
  logger?: Logger,
): Promise<void> {
  const base: Partial<ConsumerConfig> = {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(settings.ackWaitMs),
    max_ack_pending: settings.maxAckPending,
    max_deliver: -1,
    replay_policy: ReplayPolicy.Instant,
  };
  const info = await consumerInfo(jsm, stream, name);
  if (!info) {
    await jsm.consumers.add(stream, { ...base, deliver_policy: DeliverPolicy.All });
    return;
  }
  if (settings.replay && info.num_ack_pending > 0 && info.num_waiting === 0) {
    const from = info.ack_floor.stream_seq + 1;
    logger?.info(
      { stream, consumer: name, from, unacknowledged: info.num_ack_pending },
      'bus: replaying a consumer from its oldest unacknowledged message',
    );
    await jsm.consumers.delete(stream, name);
    await jsm.consumers.add(stream, { ...base, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from });
    return;
  }
  if (info.config.ack_wait !== base.ack_wait || info.config.max_ack_pending !== base.max_ack_pending) {
    await jsm.consumers.update(stream, name, { ack_wait: base.ack_wait, max_ack_pending: base.max_ack_pending });
  }
}

async function consumerInfo(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (e) {
    if (e instanceof JetStreamApiError && e.code === CONSUMER_NOT_FOUND) return undefined;
    throw e;
  }
}
