/**
 * Runs one subscription: takes its topic's messages in log order from a {@link LogReader}, hands
 * them to the handler (one at a time per key, up to `concurrency` keys at once), redelivers
 * failures after a backoff while other keys keep flowing, and reports progress to an
 * {@link AckTracker}.
 *
 * Reading is driven by wake-ups (a publish in this process, the bus's slow poll for other
 * processes) and by handlers finishing, which make room for the read-ahead; there is no polling
 * loop on the hot path.
 */
import type { Logger } from 'pino';
import type { DeliveredMessage } from '../bus.js';
import { createAckTracker, type TrackedEntry } from './ack-tracker.js';
import type { ConsumerStore, StoredMessage } from './consumer-store.js';
import { Fifo } from './fifo.js';
import { createLogReader, type LogReader } from './log-reader.js';

/** Redelivery backoff after a handler error: `initialMs`, doubling per attempt up to `maxMs`. */
export interface RetryPolicy {
  /** Delay before the second delivery. */
  readonly initialMs: number;
  /** Longest delay between deliveries. */
  readonly maxMs: number;
}

/** What a dispatcher runs. */
export interface DispatcherOptions {
  /** Topic name, as delivered to the handler. */
  readonly topic: string;
  /** Durable consumer name, for logs and problems. */
  readonly consumer: string;
  /** Where the topic's messages and this consumer's progress live. */
  readonly store: ConsumerStore;
  /** Resolves to acknowledge, rejects to have the message redelivered after a backoff. */
  readonly handler: (msg: DeliveredMessage) => Promise<void>;
  /** Keys handled at once (one message per key at a time). */
  readonly concurrency: number;
  readonly retry: RetryPolicy;
  readonly logger: Logger;
  /** Called after each write of this consumer's progress commits. */
  readonly onCommit: () => void;
}

/** A running subscription. */
export interface Dispatcher {
  /** New messages may exist: read the log (one cheap query when there are none). */
  wake(): void;
  /**
   * A transaction of this process committed: if the last read stopped at a still-open
   * transaction (see `readHorizon`), read again now rather than at the next timer.
   */
  retryIfLimited(): void;
  /** Stops reading, waits for in-flight handlers, records their acknowledgements. */
  stop(): Promise<void>;
  /** Why this consumer is unhealthy right now (its store failing), if it is. */
  problem(): string | undefined;
}

interface Entry extends TrackedEntry {
  deliveries: number;
}

interface KeyState {
  readonly key: string;
  readonly queue: Fifo<Entry>;
  busy: boolean;
  ready: boolean;
  failing: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** Messages read ahead for keys that are not failing. */
const READ_AHEAD = 2000;
/** Messages held for failing keys before reading stops (as NATS stops at max-ack-pending). */
const MAX_STUCK = 50_000;

/** Opens the consumer's stored state and starts delivering. */
export async function startDispatcher(opts: DispatcherOptions): Promise<Dispatcher> {
  const { store, logger, topic, consumer } = opts;
  const initial = await store.open();
  const keys = new Map<string, KeyState>();
  const ready = new Fifo<KeyState>();
  const tracker = createAckTracker(store, initial, {
    isFailing: (k) => keys.get(k)?.failing === true,
    onError: (err) => logger.error({ topic, consumer, err }, 'bus acknowledgement write failed; retrying'),
    onSaved: opts.onCommit,
  });
  let active = 0; // unacknowledged messages of keys that are not failing
  let stuck = 0; // unacknowledged messages of failing keys
  let inFlight = 0;
  let stopped = false;
  let drained: (() => void) | undefined;
  const reader: LogReader = createLogReader({
    store,
    from: initial.position,
    room: () => (active >= READ_AHEAD / 2 || stuck >= MAX_STUCK ? 0 : READ_AHEAD - active),
    deliver: (messages) => {
      for (const m of messages) enqueue(m, true);
      pump();
    },
    onError: (err) => logger.error({ topic, consumer, err }, 'bus log read failed; retrying'),
  });

  const schedule = (ks: KeyState) => {
    if (ks.busy || ks.ready || ks.timer || ks.queue.length === 0 || stopped) return;
    ks.ready = true;
    ready.push(ks);
  };

  const enqueue = (msg: StoredMessage, fromLog: boolean) => {
    const e: Entry = { msg, acked: false, deliveries: 0 };
    if (fromLog) tracker.read(e);
    let ks = keys.get(msg.key);
    if (!ks) keys.set(msg.key, (ks = { key: msg.key, queue: new Fifo(), busy: false, ready: false, failing: false, timer: undefined }));
    ks.queue.push(e);
    if (ks.failing) stuck++;
    else active++;
    schedule(ks);
  };

  const setFailing = (ks: KeyState, failing: boolean) => {
    if (ks.failing === failing) return;
    ks.failing = failing;
    const n = ks.queue.length;
    active += failing ? -n : n;
    stuck += failing ? n : -n;
  };

  const done = (ks: KeyState, e: Entry, err: unknown) => {
    inFlight--;
    ks.busy = false;
    if (err === undefined) {
      setFailing(ks, false);
      ks.queue.shift();
      active--;
      tracker.ack(e);
      if (ks.queue.length === 0) keys.delete(ks.key);
      else schedule(ks);
    } else {
      setFailing(ks, true);
      const delay = Math.min(opts.retry.maxMs, opts.retry.initialMs * 2 ** Math.min(30, e.deliveries - 1));
      logger.warn({ topic, consumer, id: e.msg.id, deliveryCount: e.deliveries, retryInMs: delay, err }, 'bus handler failed; will redeliver');
      if (!stopped) {
        ks.timer = setTimeout(() => {
          ks.timer = undefined;
          schedule(ks);
          pump();
        }, delay);
        ks.timer.unref(); // a pending retry alone must not keep the process alive
      }
    }
    tracker.request();
    if (inFlight === 0) drained?.();
    pump();
  };

  const run = (ks: KeyState) => {
    ks.ready = false;
    ks.busy = true;
    inFlight++;
    const e = ks.queue.peek() as Entry;
    e.deliveries++;
    const { id, key, payload } = e.msg;
    let p: Promise<void>;
    try {
      p = opts.handler({ id, topic, key, payload, deliveryCount: e.deliveries });
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(
      () => done(ks, e, undefined),
      (err: unknown) => done(ks, e, err ?? new Error('handler rejected without a reason')),
    );
  };

  const pump = () => {
    while (!stopped && inFlight < opts.concurrency) {
      const ks = ready.shift();
      if (!ks) break;
      run(ks);
    }
    reader.read();
  };

  for (const m of initial.pending) enqueue(m, false);
  pump();

  return {
    wake: reader.wake,
    retryIfLimited: reader.retryIfLimited,
    problem() {
      const why = reader.problem() ?? tracker.problem();
      return why === undefined ? undefined : `bus consumer ${consumer} of ${topic}: ${why}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const reading = reader.stop();
      for (const ks of keys.values()) clearTimeout(ks.timer);
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      await reading;
      await tracker.close();
    },
  };
}
