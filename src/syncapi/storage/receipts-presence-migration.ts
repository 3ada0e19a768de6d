/**
 * The tables of the `receipt` and `presence` streams (described in `receipts-table.ts`,
 * `presence-table.ts` and `syncapi-tables.ts`).
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates `syncapi_receipts` and `syncapi_presence`; `version` is its place in `SYNCAPI_MIGRATIONS`. */
export function receiptsPresenceMigration(version: number): Migration {
  return {
    version,
    name: 'receipts and presence',
    async up(db, caps) {
      const statements = [
        // `id` is the `receipt` stream position: a replaced receipt is deleted and inserted
        // again, so it always takes a position after every receipt committed before it.
        sql`CREATE TABLE syncapi_receipts (
          id ${sql.raw(caps.autoIncrementPk)},
          room_id TEXT NOT NULL,
          receipt_type TEXT NOT NULL,
          user_id TEXT NOT NULL,
          thread_id TEXT NOT NULL,
          event_id TEXT NOT NULL,
          ts BIGINT NOT NULL
        )`,
        sql`CREATE UNIQUE INDEX syncapi_receipts_key ON syncapi_receipts (room_id, receipt_type, user_id, thread_id)`,
        // The receipts of some rooms, all of them (initial sync) or after a position.
        sql`CREATE INDEX syncapi_receipts_room ON syncapi_receipts (room_id, id)`,
        // `id` is the `presence` stream position, taken the same way.
        sql`CREATE TABLE syncapi_presence (
          id ${sql.raw(caps.autoIncrementPk)},
          user_id TEXT NOT NULL UNIQUE,
          presence TEXT NOT NULL,
          status_msg TEXT,
          last_active_ts BIGINT,
          currently_active INTEGER NOT NULL,
          source_position BIGINT NOT NULL
        )`,
      ];
      for (const s of statements) await s.execute(db);
    },
  };
}
