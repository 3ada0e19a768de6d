/** The unread notification counts kept per (user, room, thread) (`notification-counts-table.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** The migration, as number `version` of `USERAPI_MIGRATIONS`. */
export function notificationCountsMigration(version: number): Migration {
  return {
    version,
    name: 'notification counts',
    async up(db) {
      await sql`CREATE TABLE userapi_notification_counts (
        localpart TEXT NOT NULL,
        room_id TEXT NOT NULL,
        thread_id TEXT NOT NULL,
        notification_count BIGINT NOT NULL,
        highlight_count BIGINT NOT NULL,
        PRIMARY KEY (localpart, room_id, thread_id)
      )`.execute(db);
      // The counts of the notifications already unread: from here on they are kept, not counted.
      await sql`INSERT INTO userapi_notification_counts (localpart, room_id, thread_id, notification_count, highlight_count)
        SELECT localpart, room_id, thread_id, COUNT(*), SUM(highlight) FROM userapi_notifications WHERE read = 0
        GROUP BY localpart, room_id, thread_id`.execute(db);
    },
  };
}
