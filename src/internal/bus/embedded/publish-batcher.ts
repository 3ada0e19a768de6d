/**
 * Group commit for publishes: while one write is in progress, every publish that arrives waits
 * and then goes into the next write together with the others. Many small concurrent publishes
 * thus cost a few multi-row INSERTs instead of one transaction each, and a lone publish still
 * goes out at once.
 */

/** Appends rows durably; `write` is called with one batch at a time. */
export interface PublishBatcher<R> {
  /** Resolves once `rows` (and whatever shared their write) are committed. */
  enqueue(rows: readonly R[]): Promise<void>;
  /** Resolves when nothing is queued or being written. */
  idle(): Promise<void>;
}

interface Waiting<R> {
  readonly rows: readonly R[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * A batcher calling `write` for one group at a time. Groups writes of up to `maxRows` rows (a caller's own larger publish still goes in one
 * write). Matching it to the rows one INSERT carries makes each write a single statement.
 */
export function createPublishBatcher<R>(write: (rows: readonly R[]) => Promise<void>, maxRows: number): PublishBatcher<R> {
  let queue: Waiting<R>[] = [];
  let running: Promise<void> | undefined;

  const takeBatch = (): Waiting<R>[] => {
    let n = 0;
    let i = 0;
    // Always take at least one caller; callers are never split across writes.
    while (i < queue.length && (i === 0 || n + (queue[i] as Waiting<R>).rows.length <= maxRows)) {
      n += (queue[i] as Waiting<R>).rows.length;
      i++;
    }
    const batch = queue.slice(0, i);
    queue = queue.slice(i);
    return batch;
  };

  const drain = async () => {
    while (queue.length > 0) {
      const batch = takeBatch();
      const rows = batch.length === 1 ? (batch[0] as Waiting<R>).rows : batch.flatMap((w) => w.rows);
      try {
        await write(rows);
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    running = undefined;
  };

  return {
    enqueue(rows) {
      if (rows.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ rows, resolve, reject });
        running ??= drain();
      });
    },
    async idle() {
      while (running) await running;
    },
  };
}
