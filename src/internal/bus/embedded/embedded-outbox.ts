/**
 * The embedded bus's two outboxes. When the producer's database is the bus's, messages go
 * straight into `bus_log` inside the producer's transaction: they commit (or roll back) with
 * its state, and `flush()` only wakes the consumers. Otherwise they go into `bus_outbox` in the
 * producer's database and the shared relay outbox appends them to the log, then deletes them.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { BusMessage, Outbox } from '../bus.js';
import { toMessageRows } from '../message-rows.js';
import { createRelayOutbox, type RelayOutbox } from '../relay-outbox.js';
import type { Database } from '../../sqlutil/database.js';
import type { BusTables } from './bus-tables.js';
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

/** Whether `database` is the bus's own database (same handle, or same file or server database). */
export function isSameDatabase(a: Database, b: Database): boolean {
  return a === b || (a.connectionString === b.connectionString && !a.connectionString.endsWith(':memory:'));
}

/** The outbox writing into the log itself, for a producer sharing the bus's database. */
export function createDirectOutbox(log: LogWriter): Outbox {
  const touched = new Set<string>();
  return {
    async add<DB>(trx: Transaction<DB>, messages: readonly BusMessage[]) {
      const rows = toMessageRows(messages);
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

/**
 * The shared relay outbox (`../relay-outbox.ts`) for a producer whose database is not the bus's:
 * `bus_outbox` in the producer's database, relayed into the log.
 */
export function createLogRelayOutbox(producerDb: Database, name: string, log: LogWriter, logger?: Logger): Promise<RelayOutbox> {
  return createRelayOutbox({
    database: producerDb,
    name,
    logger,
    // The log has no `id` column: the outbox row's own ID stays behind.
    publish: (rows) => log.append(rows.map(({ topic, msg_key, msg_id, payload, created_at }) => ({ topic, msg_key, msg_id, payload, created_at }))),
  });
}
