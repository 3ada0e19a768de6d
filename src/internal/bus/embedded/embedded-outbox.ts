/**
 * The embedded bus's two outboxes. When the producer's database is the bus's, messages go
 * straight into `bus_log` inside the producer's transaction: they commit (or roll back) with
 * its state, and `flush()` only wakes the consumers. Otherwise they go into `bus_outbox` in the
 * producer's database and `flush()` relays them into the log, then deletes them.
 */
import type { Kysely, Transaction } from 'kysely';
import type { BusMessage, Outbox } from '../bus.js';
import type { Database } from '../../sqlutil/database.js';
import type { BusTables } from './bus-tables.js';
import { toLogRows } from './log-rows.js';
import { deleteOutboxRows, insertOutboxRows, migrateOutboxTable, readOutboxRows } from './outbox-table.js';
import { insertLogRows, type NewLogRow } from './sql-consumer-store.js';

/** What an outbox needs from the bus. */
export interface LogWriter {
  /** The bus's database. */
  readonly database: Database;
  /** Appends rows to the log durably, then wakes their consumers. */
  append(rows: readonly NewLogRow[]): Promise<void>;
  /** Wakes the consumers of these topics in this process. */
  wake(topics: Iterable<string>): void;
}

/** Rows relayed per round. */
const RELAY_BATCH = 1000;
const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 30_000;

/** Whether `database` is the bus's own database (same handle, or same file or server database). */
export function isSameDatabase(a: Database, b: Database): boolean {
  return a === b || (a.connectionString === b.connectionString && !a.connectionString.endsWith(':memory:'));
}

/** The outbox writing into the log itself, for a producer sharing the bus's database. */
export function createDirectOutbox(log: LogWriter): Outbox {
  const touched = new Set<string>();
  return {
    async add<DB>(trx: Transaction<DB>, messages: readonly BusMessage[]) {
      const rows = toLogRows(messages);
      await insertLogRows(trx as unknown as Kysely<BusTables>, log.database.caps, rows);
      for (const r of rows) touched.add(r.topic);
    },
    async flush() {
      const topics = [...touched];
      touched.clear();
      log.wake(topics);
    },
  };
}

/** An outbox whose background retries the bus stops when it closes. */
export interface RelayOutbox extends Outbox {
  /** Stops retrying and waits for a relay in progress. */
  close(): Promise<void>;
}

/**
 * The outbox table in the producer's database, relayed into the log. Relays what a previous
 * process left before returning. A relay that fails (bus database unreachable) rejects
 * `flush()` and is retried in the background, so committed messages go out even if the
 * producer never flushes again.
 */
export async function createRelayOutbox(producerDb: Database, name: string, log: LogWriter): Promise<RelayOutbox> {
  await migrateOutboxTable(producerDb);

  const relayAll = async () => {
    for (;;) {
      const rows = await readOutboxRows(producerDb, name, RELAY_BATCH);
      if (rows.length === 0) return;
      await log.append(rows.map(({ topic, msg_key, msg_id, payload, created_at }) => ({ topic, msg_key, msg_id, payload, created_at })));
      // A crash here relays these rows again with the same IDs; consumers dedupe on them.
      await deleteOutboxRows(producerDb, rows.map((r) => r.id));
      if (rows.length < RELAY_BATCH) return;
    }
  };

  // One relay at a time; a flush during a relay queues one more relay, shared by later calls.
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let retryMs = 0;
  let closed = false;
  const flush = (): Promise<void> => {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = undefined;
      return relayAll();
    });
    queued = next;
    tail = next.then(
      () => void (retryMs = 0),
      () => {
        retryMs = Math.min(RETRY_MAX_MS, Math.max(RETRY_INITIAL_MS, retryMs * 2));
        if (!closed && !retry) {
          retry = setTimeout(() => {
            retry = undefined;
            flush().catch(() => undefined);
          }, retryMs);
          retry.unref();
        }
      },
    );
    return next;
  };

  await flush();
  return {
    async add<DB>(trx: Transaction<DB>, messages: readonly BusMessage[]) {
      await insertOutboxRows(trx, producerDb.caps, name, toLogRows(messages));
    },
    flush,
    async close() {
      closed = true;
      clearTimeout(retry);
      await tail;
    },
  };
}
