/**
 * A syncapi migration: the thread split of each (user, room)'s unread counts in
 * `syncapi_notification_data` (`notification-data-table.ts`), for `unread_thread_notifications`.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Adds `thread_counts`, as migration number `version`. */
export function notificationDataThreadsMigration(version: number): Migration {
  return {
    version,
    name: 'notification data threads',
    async up(db) {
      // JSON text, NULL while no thread has unread notifications (every row so far): read only
      // with the row, never queried into, so one nullable column serves both engines.
      await sql`ALTER TABLE syncapi_notification_data ADD COLUMN thread_counts TEXT`.execute(db);
    },
  };
}
