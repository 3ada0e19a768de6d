/**
 * Thread-aware notifications (`notifications-table.ts`, `notification-read-markers-table.ts`):
 * each notification names its thread, and read markers are kept per (user, room, thread).
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';
import { ALL_THREADS } from './notification-read-markers-table.js';

/** The migration, as number `version` of `USERAPI_MIGRATIONS`. */
export function notificationThreadsMigration(version: number): Migration {
  return {
    version,
    name: 'notification threads',
    async up(db) {
      const statements = [
        // Rows from before threads were told apart count as main-timeline ones.
        sql`ALTER TABLE userapi_notifications ADD COLUMN thread_id TEXT NOT NULL DEFAULT 'main'`,
        // Counts group a user's unread rows in a room by thread, and a threaded receipt marks
        // one thread's unread rows read: both seek (user, room, unread) and then the thread.
        sql`DROP INDEX userapi_notifications_counts`,
        sql`CREATE INDEX userapi_notifications_counts ON userapi_notifications (localpart, room_id, read, thread_id)`,
        // A primary key cannot change in place on SQLite: the markers move to a new table. Every
        // receipt so far marked the whole room, so existing markers cover every thread.
        sql`CREATE TABLE userapi_notification_read_markers_new (
          localpart TEXT NOT NULL,
          room_id TEXT NOT NULL,
          thread_id TEXT NOT NULL,
          room_pos BIGINT NOT NULL,
          PRIMARY KEY (localpart, room_id, thread_id)
        )`,
        sql`INSERT INTO userapi_notification_read_markers_new (localpart, room_id, thread_id, room_pos)
          SELECT localpart, room_id, ${sql.lit(ALL_THREADS)}, room_pos FROM userapi_notification_read_markers`,
        sql`DROP TABLE userapi_notification_read_markers`,
        sql`ALTER TABLE userapi_notification_read_markers_new RENAME TO userapi_notification_read_markers`,
      ];
      for (const s of statements) await s.execute(db);
    },
  };
}
