/**
 * `bus_outbox`, the transactional outbox in a producer's own database: rows written in the
 * producer's transaction, relayed to the bus after commit (`relay-outbox.ts`), then deleted. The
 * message ID is fixed when the row is written, so a relay repeated after a crash publishes the
 * same IDs and consumers can drop the duplicates. Every bus implementation uses this one table.
 */
import { sql, type Generated, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../sqlutil/database.js';
import { runMigrations, type Migration } from '../sqlutil/run-migrations.js';
import type { StorageCapabilities } from '../sqlutil/storage-capabilities.js';
import type { MessageRow } from './message-rows.js';

/** A row of `bus_outbox`. */
export interface BusOutboxTable {
  id: Generated<number>;
  /** The producer's outbox name (e.g. `roomserver`); several producers may share a database. */
  producer: string;
  topic: string;
  msg_key: string;
  msg_id: string;
  /** JSON text. */
  payload: string;
  created_at: number;
}

export interface OutboxTables {
  bus_outbox: BusOutboxTable;
}

/** A row as read back for relaying. */
export interface OutboxRow extends MessageRow {
  /** The row's own ID, to delete it once relayed. */
  readonly id: number;
}

const OUTBOX_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'outbox',
    async up(db, caps) {
      await sql`CREATE TABLE bus_outbox (
        id ${sql.raw(caps.autoIncrementPk)},
        producer TEXT NOT NULL,
        topic TEXT NOT NULL,
        msg_key TEXT NOT NULL,
        msg_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX bus_outbox_producer ON bus_outbox (producer, id)`.execute(db);
    },
  },
];

/** Creates `bus_outbox` in the producer's database if needed. */
export async function migrateOutboxTable(database: Database): Promise<void> {
  await runMigrations(database, 'bus_outbox', OUTBOX_MIGRATIONS);
}

/** Writes outbox rows in the producer's transaction. */
export async function insertOutboxRows<DB>(
  trx: Transaction<DB>,
  caps: StorageCapabilities,
  producer: string,
  rows: readonly MessageRow[],
): Promise<void> {
  const db = trx as unknown as Transaction<OutboxTables>;
  const size = Math.max(1, Math.min(1000, Math.floor(caps.maxBindParams / 6)));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto('bus_outbox')
      .values(rows.slice(i, i + size).map((r) => ({ producer, ...r })))
      .execute();
  }
}

/** The oldest committed rows of `producer`, up to `limit`. */
export async function readOutboxRows(database: Database, producer: string, limit: number): Promise<OutboxRow[]> {
  return (database.db as Kysely<OutboxTables>)
    .selectFrom('bus_outbox')
    .select(['id', 'topic', 'msg_key', 'msg_id', 'payload', 'created_at'])
    .where('producer', '=', producer)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Deletes relayed rows. */
export async function deleteOutboxRows(database: Database, ids: readonly number[]): Promise<void> {
  const db = database.db as Kysely<OutboxTables>;
  const size = Math.max(1, Math.min(1000, database.caps.maxBindParams - 1));
  for (let i = 0; i < ids.length; i += size) {
    await db.deleteFrom('bus_outbox').where('id', 'in', ids.slice(i, i + size)).execute();
  }
}
