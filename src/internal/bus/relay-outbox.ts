/**
 * The transactional outbox every bus implementation relays from: rows go into `bus_outbox` in the
 * producer's transaction, and after commit (`flush()`, and at start-up for what a previous process
 * left) they are published in batches, oldest first, then deleted. How a batch is published is the
 * implementation's part: appended to the embedded log, or sent to JetStream.
 *
 * A crash between publish and delete relays the same rows again with the same IDs: the embedded
 * bus's consumers dedupe on them, and JetStream drops them as `Nats-Msg-Id` repeats. A relay that
 * fails (the bus unreachable) rejects `flush()` and is retried in the background with backoff, so
 * a committed message goes out once the bus is back even if the producer never flushes again.
 */
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { BusMessage, Outbox } from './bus.js';
import type { Database } from '../sqlutil/database.js';
import { toMessageRows } from './message-rows.js';
import { deleteOutboxRows, insertOutboxRows, migrateOutboxTable, readOutboxRows, type OutboxRow } from './outbox-table.js';

/** What {@link createRelayOutbox} needs. */
export interface RelayOutboxOptions {
  /** The producer's database, where `bus_outbox` lives (migrated there if needed). */
  readonly database: Database;
  /** The producer's name (e.g. `roomserver`): several producers may share one table. */
  readonly name: string;
  /**
   * Publishes a batch of rows, in order; resolves once the bus has stored them durably, rejects
   * to have the batch relayed again later.
   */
  readonly publish: (rows: readonly OutboxRow[]) => Promise<void>;
  /** Relay failures (warn); silent when absent. */
  readonly logger?: Logger;
}

/** An outbox whose background retries the bus stops when it closes. */
export interface RelayOutbox extends Outbox {
  /** Stops background retries and waits for a relay in progress. */
  close(): Promise<void>;
}

/** Rows relayed per round. */
const RELAY_BATCH = 1000;
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * The outbox of producer `name` in `database`. Relays what a previous process committed but did
 * not relay before resolving (or, if that relay fails, keeps retrying it in the background).
 */
export async function createRelayOutbox(opts: RelayOutboxOptions): Promise<RelayOutbox> {
  const { database, name, publish, logger } = opts;
  await migrateOutboxTable(database);

  const relayAll = async () => {
    for (;;) {
      const rows = await readOutboxRows(database, name, RELAY_BATCH);
      if (rows.length === 0) return;
      await publish(rows);
      // A crash here relays these rows again with the same IDs (see above).
      await deleteOutboxRows(database, rows.map((r) => r.id));
      if (rows.length < RELAY_BATCH) return;
    }
  };

  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = RETRY_INITIAL_MS;
  // One relay at a time; a flush during a relay queues one more (its rows may have committed
  // after the running relay read), shared by every flush that comes meanwhile.
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = undefined;
      return relayAll();
    });
    queued = next;
    tail = next.then(
      () => {
        retryDelay = RETRY_INITIAL_MS;
      },
      (err: unknown) => scheduleRetry(err),
    );
    return next;
  };
  const scheduleRetry = (err: unknown) => {
    if (closed || retryTimer) return;
    logger?.warn({ err, outbox: name, retryInMs: retryDelay }, 'bus: outbox relay failed; will retry');
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      flush().catch(() => undefined);
    }, retryDelay);
    retryTimer.unref();
    retryDelay = Math.min(RETRY_MAX_MS, retryDelay * 2);
  };

  await flush().catch(() => undefined);
  return {
    async add<DB>(trx: Transaction<DB>, messages: readonly BusMessage[]) {
      await insertOutboxRows(trx, database.caps, name, toMessageRows(messages));
    },
    flush,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await tail;
    },
  };
}
