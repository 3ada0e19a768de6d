/**
 * Records a consumer's progress: a position plus a pending set (see `bus-tables.ts`).
 *
 * The position moves over acknowledged messages and over the messages of a key that is failing,
 * which are recorded as pending instead: a poison message then holds back only its own key,
 * and the stored state stays small (a failing key's messages, never every message acknowledged
 * out of order). Writes are coalesced: one per burst of acknowledgements, not one per message.
 * A crash can lose the last burst; those messages are then delivered again, which
 * at-least-once allows.
 */
import type { ConsumerState, ConsumerStore, Position, StoredMessage } from './consumer-store.js';
import { Fifo } from './fifo.js';

/** A message a consumer has read, as far as progress is concerned. */
export interface TrackedEntry {
  readonly msg: StoredMessage;
  acked: boolean;
}

export interface AckTracker {
  /** `entry` was read from the log after the position (call in log order). */
  read(entry: TrackedEntry): void;
  /** `entry` was handled successfully. */
  ack(entry: TrackedEntry): void;
  /** Progress may have changed: write it soon (coalesced with other requests). */
  request(): void;
  /** Waits for writes in progress, then writes the final state (a failure goes to `onError`). */
  close(): Promise<void>;
  /** Why progress cannot be written right now, if it cannot. */
  problem(): string | undefined;
}

/** Store errors are retried after this long. */
const RETRY_MS = 1000;
/** Acknowledgements after which a write starts without waiting for the event loop to turn. */
const EAGER_AFTER = 512;
/** Least time between the starts of two writes (unless EAGER_AFTER acknowledgements wait): a
 * steady stream of sends (1,000/s) then costs a position write per 25 messages, not one per 5. */
const MIN_SPACING_MS = 25;

/** How the tracker learns about keys and reports what happened. */
export interface AckTrackerHooks {
  /** Whether a key's head message is failing (its messages may then be passed as pending). */
  isFailing(key: string): boolean;
  /** A write failed (it is retried). */
  onError(err: unknown): void;
  /** A write committed. */
  onSaved?(): void;
}

/** Tracks progress from the stored `initial` state. */
export function createAckTracker(store: ConsumerStore, initial: ConsumerState, hooks: AckTrackerHooks): AckTracker {
  const { isFailing, onError } = hooks;
  const order = new Fifo<TrackedEntry>(); // read after `position`, in log order
  const pendingUnacked = new Set(initial.pending.map((m) => m.seq)); // at or before `position`
  const persistedPending = new Set(pendingUnacked); // what the store holds
  let position: Position = initial.position;
  let saved: Position = initial.position;
  let writing: Promise<void> | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let spacing: NodeJS.Timeout | undefined;
  let lastStart = -Infinity;
  let again = false;
  let unsaved = 0; // acknowledgements since the last write started
  let retryTimer: NodeJS.Timeout | undefined;
  let problem: string | undefined;
  let closed = false;

  const advance = () => {
    for (let e = order.peek(); e; e = order.peek()) {
      if (!e.acked) {
        if (!isFailing(e.msg.key)) break;
        pendingUnacked.add(e.msg.seq);
      }
      position = { xid: e.msg.xid, seq: e.msg.seq };
      order.shift();
    }
  };

  const writeOnce = async () => {
    advance();
    const add = [...pendingUnacked].filter((s) => !persistedPending.has(s));
    const remove = [...persistedPending].filter((s) => !pendingUnacked.has(s));
    if (add.length === 0 && remove.length === 0 && position === saved) return;
    const target = position;
    await store.save(target, add, remove);
    hooks.onSaved?.();
    saved = target;
    for (const s of add) persistedPending.add(s);
    for (const s of remove) persistedPending.delete(s);
  };

  const writeLoop = async () => {
    try {
      do {
        again = false;
        unsaved = 0;
        await writeOnce();
      } while (again);
      problem = undefined;
    } catch (err) {
      problem = (err as Error).message;
      onError(err);
      if (!closed) {
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          request();
        }, RETRY_MS);
        retryTimer.unref();
      }
    } finally {
      writing = undefined;
    }
  };

  const start = () => {
    if (immediate) clearImmediate(immediate);
    clearTimeout(spacing);
    immediate = undefined;
    spacing = undefined;
    if (!writing && !retryTimer && !closed) {
      lastStart = performance.now();
      writing = writeLoop();
    }
  };

  const request = () => {
    again = true;
    unsaved++;
    if (writing || retryTimer) return; // the running loop (or the retry) picks this up
    // A long burst that never yields to the event loop (SQLite answers in microtasks) is
    // written without waiting.
    if (unsaved >= EAGER_AFTER) return start();
    if (immediate || spacing) return;
    // Writes are spaced MIN_SPACING_MS apart, so a steady trickle of messages costs a write per
    // few milliseconds rather than one per message; within that, setImmediate lets a burst of
    // acknowledgements share one write.
    const wait = MIN_SPACING_MS - (performance.now() - lastStart);
    if (wait > 0) {
      spacing = setTimeout(start, wait);
      spacing.unref();
    } else immediate = setImmediate(start);
  };

  return {
    read: (entry) => order.push(entry),
    ack(entry) {
      entry.acked = true;
      pendingUnacked.delete(entry.msg.seq);
    },
    request,
    problem: () => problem,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      if (immediate) clearImmediate(immediate);
      clearTimeout(spacing);
      while (writing) await writing;
      // Losing this last write only means redelivering its messages after a restart, which
      // at-least-once allows: report it, but let the bus close.
      await writeOnce().catch(onError);
    },
  };
}
