/**
 * Runs the messages one durable consumer receives, `concurrency` at a time, one at a time per key,
 * in stream order per key — also across redeliveries, which JetStream interleaves with new
 * messages. Why per-key queues over one consumer rather than a consumer per key partition: the
 * server keeps one consumer per (topic, name), `concurrency` is honoured as given, and a failing
 * message stalls only its own key, not every key hashed to the same partition.
 *
 * A message stays here from delivery to ack. When its handler fails it is nak'ed with a delay and
 * stays at the head of its key as "waiting": later messages of that key are held until the
 * server redelivers it and it succeeds. Held and running messages are kept alive with `working()`
 * so the server does not redeliver them behind our back; a redelivery of a message we already
 * hold just replaces the delivery we will ack. Among runnable keys the one with the oldest head
 * runs first, so with `concurrency` 1 messages are handled in stream order.
 */
import { createMinHeap } from '../../util/min-heap.js';

/** One delivery of a stored message, as the dispatcher sees it. */
export interface Delivery {
  /** Position in the stream: orders the messages of one key. */
  readonly seq: number;
  readonly key: string;
  /** 1 on first delivery, 2+ on redelivery. */
  readonly deliveryCount: number;
  ack(): void;
  /** Gives the message back to the server for redelivery after `delayMs`. */
  nak(delayMs: number): void;
  /** Tells the server the message is still held (restarts its ack timer). */
  working(): void;
}

export interface KeyDispatcherOptions<D extends Delivery> {
  /** Handlers running at once, across different keys. */
  readonly concurrency: number;
  /** Resolves to ack the delivery; rejects to have it redelivered after `retryDelayMs`. */
  readonly handle: (d: D) => Promise<void>;
  /** How long to wait before redelivering after the handler failed on this delivery. */
  readonly retryDelayMs: (deliveryCount: number) => number;
  /** The consumer's ack wait: held messages are kept alive every third of it. */
  readonly ackWaitMs: number;
  /** Told about each handler failure (for logging). */
  readonly onHandlerError?: (d: D, err: unknown) => void;
}

export interface KeyDispatcher<D extends Delivery> {
  /** Takes a delivery from the server (new, or a redelivery of one we may already hold). */
  push(d: D): void;
  /**
   * Waits for running handlers, then gives every held message back to the server in stream
   * order (those behind a waiting message after its retry delay, so they stay behind it).
   * With `giveBack: false` held messages are just forgotten (their stream is gone).
   */
  stop(opts?: { readonly giveBack?: boolean }): Promise<void>;
  /** Messages held (queued, running or waiting for redelivery). */
  readonly size: number;
}

type State = 'queued' | 'running' | 'waiting';

interface Entry<D> {
  readonly seq: number;
  readonly key: string;
  /** The latest delivery: the one to ack or nak. */
  d: D;
  state: State;
  /** When the server last heard about this message (delivery, working(), nak). */
  touchedAt: number;
  /** For `waiting`: when the server should redeliver it. */
  retryAt: number;
}

export function createKeyDispatcher<D extends Delivery>(opts: KeyDispatcherOptions<D>): KeyDispatcher<D> {
  const entries = new Map<number, Entry<D>>();
  const keys = new Map<string, Entry<D>[]>();
  const busy = new Set<string>();
  const runnable = createMinHeap<Entry<D>>((a, b) => a.seq - b.seq);
  const running = new Set<Promise<void>>();
  let phase: 'running' | 'stopping' | 'stopped' = 'running';
  const keepAliveMs = Math.max(1, Math.floor(opts.ackWaitMs / 3));
  const timer = setInterval(() => keepAlive(), keepAliveMs).unref();

  /** Marks `key` runnable if its head can start. Stale heap items are skipped when popped. */
  const offer = (key: string) => {
    const head = keys.get(key)?.[0];
    if (head && head.state === 'queued' && !busy.has(key)) runnable.push(head);
  };

  const pump = () => {
    while (phase === 'running' && busy.size < opts.concurrency) {
      const e = runnable.pop();
      if (!e) return;
      if (e.state !== 'queued' || busy.has(e.key) || keys.get(e.key)?.[0] !== e) continue;
      const p = run(e);
      running.add(p);
      void p.finally(() => running.delete(p));
    }
  };

  const remove = (e: Entry<D>) => {
    entries.delete(e.seq);
    const q = keys.get(e.key);
    if (!q) return;
    const i = q.indexOf(e);
    if (i >= 0) q.splice(i, 1);
    if (q.length === 0) keys.delete(e.key);
  };

  const run = async (e: Entry<D>) => {
    e.state = 'running';
    busy.add(e.key);
    try {
      await opts.handle(e.d);
      remove(e);
      e.d.ack();
    } catch (err) {
      opts.onHandlerError?.(e.d, err);
      const delay = opts.retryDelayMs(e.d.deliveryCount);
      e.state = 'waiting';
      e.touchedAt = Date.now();
      e.retryAt = e.touchedAt + delay;
      e.d.nak(delay);
    } finally {
      busy.delete(e.key);
      offer(e.key);
      pump();
    }
  };

  const keepAlive = () => {
    const now = Date.now();
    for (const e of entries.values()) {
      if (e.state !== 'waiting') {
        if (now - e.touchedAt >= keepAliveMs) {
          e.d.working();
          e.touchedAt = now;
        }
      } else if (now > e.retryAt + 2 * opts.ackWaitMs) {
        // The redelivery never came (the message aged out of an ephemeral stream, or another
        // subscriber on this name took it): stop holding its key for it.
        remove(e);
        offer(e.key);
      }
    }
    pump();
  };

  const insert = (e: Entry<D>) => {
    entries.set(e.seq, e);
    let q = keys.get(e.key);
    if (!q) keys.set(e.key, (q = []));
    let i = q.length;
    while (i > 0 && (q[i - 1] as Entry<D>).seq > e.seq) i--;
    q.splice(i, 0, e);
  };

  return {
    get size() {
      return entries.size;
    },
    push(d) {
      if (phase === 'stopped') {
        d.nak(0);
        return;
      }
      const now = Date.now();
      let e = entries.get(d.seq);
      if (e) {
        e.d = d;
        e.touchedAt = now;
        if (e.state === 'waiting') e.state = 'queued';
      } else {
        e = { seq: d.seq, key: d.key, d, state: 'queued', touchedAt: now, retryAt: 0 };
        insert(e);
      }
      // Only a new head can make its key runnable; anything behind waits for it.
      if (keys.get(d.key)?.[0] === e) offer(d.key);
      pump();
    },
    async stop({ giveBack = true } = {}) {
      if (phase !== 'running') return;
      phase = 'stopping';
      clearInterval(timer);
      while (running.size > 0) await Promise.all([...running]);
      phase = 'stopped';
      const now = Date.now();
      const queued = [...entries.values()].filter((e) => giveBack && e.state === 'queued').sort((a, b) => a.seq - b.seq);
      for (const e of queued) {
        const head = keys.get(e.key)?.[0];
        const behind = head && head.state === 'waiting' ? Math.max(0, head.retryAt - now) + 1000 : 0;
        e.d.nak(behind);
      }
      entries.clear();
      keys.clear();
    },
  };
}

/** Exponential backoff: `initialMs`, doubling per failed delivery, capped at `maxMs`. */
export function exponentialBackoff(initialMs: number, maxMs: number): (deliveryCount: number) => number {
  return (deliveryCount) => Math.min(maxMs, initialMs * 2 ** Math.min(30, Math.max(0, deliveryCount - 1)));
}
