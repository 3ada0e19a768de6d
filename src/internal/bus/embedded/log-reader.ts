/**
 * Reads one consumer's topic log ahead of its handlers, for the dispatcher: one read at a time,
 * as far as the dispatcher has room, from where the last read stopped. Reads are driven by
 * wake-ups (a publish in this process, the bus's slow poll for other processes), by the
 * dispatcher making room, and by two timers: a failed read is retried after a second, and a read
 * that stopped at a transaction still open (see `readHorizon`) is repeated soon.
 */
import type { ConsumerStore, Position, StoredMessage } from './consumer-store.js';

/** What a {@link LogReader} reads from and hands its messages to. */
export interface LogReaderOptions {
  readonly store: ConsumerStore;
  /** The position to read after. */
  readonly from: Position;
  /** How many messages the dispatcher can take now; 0 or less when it has no room. */
  readonly room: () => number;
  /** Takes the messages of a read, in log order (not called once stopped). */
  readonly deliver: (messages: readonly StoredMessage[]) => void;
  /** A read failed; it is retried after {@link READ_RETRY_MS}. */
  readonly onError: (err: unknown) => void;
}

/** The reading side of a dispatcher. */
export interface LogReader {
  /** Reads if a read is wanted, none is running or waiting for its timer, and there is room. */
  read(): void;
  /** New messages may exist: read (one cheap query when there are none). */
  wake(): void;
  /** A transaction of this process committed: if the last read stopped at one, read again now. */
  retryIfLimited(): void;
  /** The last read's error, until a read succeeds. */
  problem(): string | undefined;
  /** Stops reading; resolves once a read in progress has finished. */
  stop(): Promise<void>;
}

/** A failed read is retried after this long. */
const READ_RETRY_MS = 1000;
/** Longest wait before reading again past a transaction that is still open. */
const HORIZON_MAX_DELAY_MS = 50;

export function createLogReader(opts: LogReaderOptions): LogReader {
  const { store } = opts;
  let cursor = opts.from; // the last message read from the log
  let busy: Promise<void> | undefined;
  let wanted = true;
  let timer: NodeJS.Timeout | undefined;
  let horizonDelayMs = 0;
  let limited = false;
  let problem: string | undefined;
  let stopped = false;

  const readLater = (ms: number) => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      wanted = true;
      read();
    }, ms);
    timer.unref();
  };

  const onRead = (messages: StoredMessage[], stoppedAtHorizon: boolean, limit: number) => {
    busy = undefined;
    problem = undefined;
    if (stopped) return;
    const last = messages[messages.length - 1];
    if (last) cursor = { xid: last.xid, seq: last.seq };
    if (messages.length === limit) wanted = true;
    limited = stoppedAtHorizon;
    if (limited) {
      // An older transaction is still open. Commits of this bus's own writes call
      // `retryIfLimited`; other transactions' commits are noticed by this timer, quickly while
      // reads make progress, backing off while one long transaction holds everything up.
      horizonDelayMs = messages.length > 0 ? 1 : Math.min(HORIZON_MAX_DELAY_MS, Math.max(1, horizonDelayMs * 2));
      readLater(horizonDelayMs);
    } else horizonDelayMs = 0;
    opts.deliver(messages);
  };

  const read = () => {
    if (busy || stopped || !wanted || timer) return;
    const limit = opts.room();
    if (limit <= 0) return;
    wanted = false; // a wake-up during the read sets it again
    busy = store.fetch(cursor, limit).then(
      (r) => onRead(r.messages, r.limited, limit),
      (err: unknown) => {
        busy = undefined;
        if (stopped) return;
        problem = (err as Error).message;
        opts.onError(err);
        readLater(READ_RETRY_MS);
      },
    );
  };

  // The timer after a read stopped at the horizon; a commit we hear of replaces it.
  const cancelHorizonWait = () => {
    clearTimeout(timer);
    timer = undefined;
  };

  return {
    read,
    wake() {
      wanted = true;
      if (limited) cancelHorizonWait();
      read();
    },
    retryIfLimited() {
      if (!limited) return;
      cancelHorizonWait();
      wanted = true;
      read();
    },
    problem: () => problem,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await busy;
    },
  };
}
