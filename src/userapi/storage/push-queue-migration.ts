/** The durable push queue (described in `push-queue-table.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates `userapi_push_queue`; `version` is its place in `USERAPI_MIGRATIONS`. */
export function pushQueueMigration(version: number): Migration {
  return {
    version,
    name: 'push queue',
    async up(db) {
      // No index but the key: rows are read oldest first by it at start, deleted by it after
      // delivery, and the rare sweep by `created_ts` scans a table that is normally near empty.
      await sql`CREATE TABLE userapi_push_queue (
        notification_id BIGINT PRIMARY KEY,
        localpart TEXT NOT NULL,
        content TEXT NOT NULL,
        created_ts BIGINT NOT NULL
      )`.execute(db);
    },
  };
}
