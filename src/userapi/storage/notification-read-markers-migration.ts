/** `userapi_notification_read_markers` (described in `notification-read-markers-table.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates the read markers; `version` is its place in `USERAPI_MIGRATIONS`. */
export function notificationReadMarkersMigration(version: number): Migration {
  return {
    version,
    name: 'notification_read_markers',
    async up(db) {
      await sql`CREATE TABLE userapi_notification_read_markers (
        localpart TEXT NOT NULL,
        room_id TEXT NOT NULL,
        room_pos BIGINT NOT NULL,
        PRIMARY KEY (localpart, room_id)
      )`.execute(db);
    },
  };
}
