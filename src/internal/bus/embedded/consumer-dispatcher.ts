/**
 * Runs one subscription: reads its topic's log in order, hands messages to the handler (one at a
 * time per key, up to `concurrency` keys at once), redelivers failures after a backoff while
 * other keys keep flowing, and reports progress to an {@link AckTracker}.
 *
 * Reading is driven by wake-ups (a publish in this process, the bus's slow poll for other
 * processes) and by its own read-ahead; there is no polling loop on the hot path.
 */
import type { Logger } from 'pino';
import type { DeliveredMessage } from '../bus.js';
import { createAckTracker, type TrackedEntry } from './ack-tracker.js';
import type { ConsumerStore, Position, StoredMessage } from './consumer-store.js';
import { Fifo } from './fifo.js';

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
/** A failed read is retried after this long. */
const READ_RETRY_MS = 1000;
/** Longest wait before reading again past a transaction that is still open. */
const HORIZON_MAX_DELAY_MS = 50;

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
  let cursor: Position = initial.position; // the last message read from the log
  let active = 0; // unacknowledged messages of keys that are not failing
  let stuck = 0; // unacknowledged messages of failing keys
  let inFlight = 0;
  let stopped = false;
  let drained: (() => void) | undefined;
  let readProblem: string | undefined;
  const reader = {
    busy: undefined as Promise<void> | undefined,
    wanted: true,
    timer: undefined as NodeJS.Timeout | undefined,
    horizonDelayMs: 0,
    limited: false,
  };

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
    read();
  };

  const readLater = (ms: number) => {
    if (stopped || reader.timer) return;
    reader.timer = setTimeout(() => {
      reader.timer = undefined;
      reader.wanted = true;
      read();
    }, ms);
    reader.timer.unref();
  };

  const onRead = (messages: StoredMessage[], limited: boolean, limit: number) => {
    reader.busy = undefined;
    readProblem = undefined;
    if (stopped) return;
    for (const m of messages) enqueue(m, true);
    const last = messages[messages.length - 1];
    if (last) cursor = { xid: last.xid, seq: last.seq };
    if (messages.length === limit) reader.wanted = true;
    reader.limited = limited;
    if (limited) {
      // An older transaction is still open. Commits of this bus's own writes call
      // `retryIfLimited`; other transactions' commits are noticed by this timer, quickly while
      // reads make progress, backing off while one long transaction holds everything up.
      reader.horizonDelayMs = messages.length > 0 ? 1 : Math.min(HORIZON_MAX_DELAY_MS, Math.max(1, reader.horizonDelayMs * 2));
      readLater(reader.horizonDelayMs);
    } else reader.horizonDelayMs = 0;
    pump();
  };

  const read = () => {
    if (reader.busy || stopped || !reader.wanted || reader.timer) return;
    if (active >= READ_AHEAD / 2 || stuck >= MAX_STUCK) return;
    reader.wanted = false; // a wake-up during the read sets it again
    const limit = READ_AHEAD - active;
    reader.busy = store.fetch(cursor, limit).then(
      ({ messages, limited }) => onRead(messages, limited, limit),
      (err: unknown) => {
        reader.busy = undefined;
        if (stopped) return;
        readProblem = (err as Error).message;
        logger.error({ topic, consumer, err }, 'bus log read failed; retrying');
        readLater(READ_RETRY_MS);
      },
    );
  };

  // The timer after a read stopped at the horizon; a commit we hear of replaces it.
  const cancelHorizonWait = () => {
    clearTimeout(reader.timer);
    reader.timer = undefined;
  };

  for (const m of initial.pending) enqueue(m, false);
  pump();

  return {
    wake() {
      reader.wanted = true;
      if (reader.limited) cancelHorizonWait();
      read();
    },
    retryIfLimited() {
      if (!reader.limited) return;
      cancelHorizonWait();
      reader.wanted = true;
      read();
    },
    problem() {
      const why = readProblem ?? tracker.problem();
      return why === undefined ? undefined : `bus consumer ${consumer} of ${topic}: ${why}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(reader.timer);
      for (const ks of keys.values()) clearTimeout(ks.timer);
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      await reader.busy;
      await tracker.close();
    },
  };
}
