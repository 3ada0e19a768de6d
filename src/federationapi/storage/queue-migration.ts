/** The outbound sender's tables (described in `queue-tables.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates the queue and destination tables; `version` is its place in `FEDERATIONAPI_MIGRATIONS`. */
export function queueMigration(version: number): Migration {
  return {
    version,
    name: 'outbound queues',
    async up(db, caps) {
      await sql`CREATE TABLE federationapi_queue_pdus (
        id ${sql.raw(caps.autoIncrementPk)},
        destination TEXT NOT NULL,
        json TEXT NOT NULL
      )`.execute(db);
      // A destination's oldest rows are read, and its distinct names listed, from this index.
      await sql`CREATE INDEX federationapi_queue_pdus_by_destination ON federationapi_queue_pdus (destination, id)`.execute(db);
      await sql`CREATE TABLE federationapi_queue_edus (
        id ${sql.raw(caps.autoIncrementPk)},
        destination TEXT NOT NULL,
        json TEXT NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX federationapi_queue_edus_by_destination ON federationapi_queue_edus (destination, id)`.execute(db);
      await sql`CREATE TABLE federationapi_destinations (
        server_name TEXT NOT NULL PRIMARY KEY,
        failure_count INTEGER NOT NULL,
        failing_since BIGINT NOT NULL,
        retry_at BIGINT NOT NULL,
        blacklisted_at BIGINT
      )`.execute(db);
    },
  };
}
