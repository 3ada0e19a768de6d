/**
 * The embedded bus's tables in the bus database:
 * - `bus_log`: every durable message of every topic, in one table; pruned once all consumers of
 *   its topic are past it. `seq` is the publish order; `xid` the writing transaction (see below).
 * - `bus_consumers`: one row per durable consumer and topic: its position `(pos_xid, pos_seq)`;
 *   every message at or before it is acknowledged, except those listed in `bus_pending`.
 * - `bus_pending`: messages at or before a consumer's position that it has not acknowledged yet
 *   (a failing key's messages the position moved past so other keys could flow).
 *
 * Why `xid`: with concurrent writers (PostgreSQL) sequence values are taken before commit, so
 * seq 101 can become visible before seq 100 and a reader that moved past 101 would skip 100 for
 * ever. Rows therefore record their transaction's 64-bit ID and readers order by `(xid, seq)`,
 * reading only transactions older than the oldest one still running (`readHorizon`). With one
 * writer at a time (SQLite) commit order is seq order and `xid` is always 0.
 */
import { sql, type Generated, type RawBuilder } from 'kysely';
import type { Migration } from '../../sqlutil/run-migrations.js';
import type { StorageCapabilities } from '../../sqlutil/storage-capabilities.js';

/** A row of `bus_log`. */
export interface BusLogTable {
  seq: Generated<number>;
  xid: Generated<number>;
  topic: string;
  msg_key: string;
  /** The message ID consumers see; chosen at publish (or outbox) time so relays keep it. */
  msg_id: string;
  /** The payload as JSON text. */
  payload: string;
  /** Milliseconds since the epoch; used to expire topics nobody consumes. */
  created_at: number;
}

/** A row of `bus_consumers`. */
export interface BusConsumersTable {
  topic: string;
  consumer: string;
  pos_xid: number;
  pos_seq: number;
  updated_at: number;
}

/** A row of `bus_pending`. */
export interface BusPendingTable {
  topic: string;
  consumer: string;
  seq: number;
}

/** The embedded bus's tables, for `Kysely<BusTables>`. */
export interface BusTables {
  bus_log: BusLogTable;
  bus_consumers: BusConsumersTable;
  bus_pending: BusPendingTable;
}

/** Migrations of the `bus` component (its tables in the bus database). */
export const BUS_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'log, consumers and pending acknowledgements',
    async up(db, caps) {
      await sql`CREATE TABLE bus_log (
        seq ${sql.raw(caps.autoIncrementPk)},
        xid BIGINT NOT NULL DEFAULT ${sql.raw(writerTransactionDefault(caps))},
        topic TEXT NOT NULL,
        msg_key TEXT NOT NULL,
        msg_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX bus_log_topic_position ON bus_log (topic, xid, seq)`.execute(db);
      await sql`CREATE TABLE bus_consumers (
        topic TEXT NOT NULL,
        consumer TEXT NOT NULL,
        pos_xid BIGINT NOT NULL,
        pos_seq BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (topic, consumer)
      )`.execute(db);
      await sql`CREATE TABLE bus_pending (
        topic TEXT NOT NULL,
        consumer TEXT NOT NULL,
        seq BIGINT NOT NULL,
        PRIMARY KEY (topic, consumer, seq)
      )`.execute(db);
    },
  },
];

/**
 * DDL default of `bus_log.xid`: the writing transaction's ID where writers run concurrently
 * (assigning one if the transaction has none yet), else 0.
 */
function writerTransactionDefault(caps: StorageCapabilities): string {
  return caps.concurrentWriters ? '(pg_current_xact_id()::text::bigint)' : '0';
}

/**
 * The oldest transaction ID still running: every `bus_log` row with a smaller `xid` is committed
 * (or rolled back) for good, so reading only those never skips a row that commits later.
 * Without concurrent writers there is no such race and every row qualifies.
 */
export function readHorizon(caps: StorageCapabilities): RawBuilder<number> {
  return caps.concurrentWriters
    ? sql<number>`(pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`
    : sql<number>`${sql.raw(String(Number.MAX_SAFE_INTEGER))}`;
}
