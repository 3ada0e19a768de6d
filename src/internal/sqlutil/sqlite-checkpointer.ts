/**
 * Checkpoints a SQLite database's write-ahead log from a worker thread. With SQLite's own
 * automatic checkpoints, every thousandth page written makes the committing statement copy the
 * log into the database and fsync both files on the event loop: measured here, that doubles the
 * average commit (about 280 µs against 130 µs). The server's connection turns automatic
 * checkpoints off and this worker, on its own connection, runs a PASSIVE checkpoint (never
 * blocking the writer) every `intervalMs`. Once a checkpoint has copied the whole log, the next
 * write starts the log over, so it stays small; `journal_size_limit` truncates the file then.
 */
import { createRequire } from 'node:module';
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** A running checkpointer. */
export interface SqliteCheckpointer {
  /** Stops the worker after one last checkpoint. */
  stop(): Promise<void>;
}

// Runs in the worker: CommonJS, since `eval` workers are scripts.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage({ error: String(e) }); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

/** Options of {@link startSqliteCheckpointer}. */
export interface SqliteCheckpointerOptions {
  /** Between checkpoints, once the worker runs (ms; 250). */
  readonly intervalMs?: number;
  /** The worker starts once the log reaches this size (bytes; 4 MiB: start-up migrations write about 1 MiB). */
  readonly startAtBytes?: number;
  /** How often the log's size is looked at until then (ms; 250). */
  readonly pollMs?: number;
  readonly onError?: (message: string) => void;
}

/**
 * Starts checkpointing `path` (a SQLite file in WAL mode whose connections have
 * `wal_autocheckpoint = 0`). Errors are passed to `onError` and checkpointing goes on.
 *
 * The worker (a thread with its own V8 heap, ~10 MB resident) starts only once the log has
 * grown to `startAtBytes`: a server that has only started, or sees little traffic, never needs
 * it, and closing the last connection checkpoints what is left. Until then one `stat` of the log
 * per `pollMs`, off the event loop.
 */
export function startSqliteCheckpointer(path: string, opts: SqliteCheckpointerOptions = {}): SqliteCheckpointer {
  let worker: SqliteCheckpointer | undefined;
  let stopping = false;
  const startAt = opts.startAtBytes ?? 4 * 1024 * 1024;
  const poll = setInterval(() => {
    stat(`${path}-wal`).then(
      (st) => {
        if (st.size >= startAt && !worker && !stopping) {
          clearInterval(poll);
          worker = startWorker(path, opts);
        }
      },
      () => {}, // no log yet
    );
  }, opts.pollMs ?? 250);
  poll.unref();
  return {
    stop: async () => {
      stopping = true;
      clearInterval(poll);
      await worker?.stop();
    },
  };
}

function startWorker(path: string, opts: SqliteCheckpointerOptions): SqliteCheckpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, intervalMs: opts.intervalMs ?? 250, driver: require.resolve('better-sqlite3') },
  });
  // The worker must not keep a process alive that has nothing else to do.
  worker.unref();
  let stopped: Promise<void> | undefined;
  let onStopped: (() => void) | undefined;
  worker.on('message', (m: { error?: string; stopped?: boolean }) => {
    if (m.error !== undefined) opts.onError?.(m.error);
    if (m.stopped === true) onStopped?.();
  });
  return {
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        onStopped = () => void worker.terminate().then(() => resolve());
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      })),
  };
}
