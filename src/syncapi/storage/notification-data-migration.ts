/**
 * A syncapi migration: `syncapi_notification_data`, each local user's unread notification counts
 * per room (the `notification_data` stream, see `notification-data-table.ts`).
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** The notification counts table, as migration number `version`. */
export function notificationDataMigration(version: number): Migration {
  return {
    version,
    name: 'notification data',
    async up(db, caps) {
      const statements = [
        // `id` is the `notification_data` stream position: a change deletes the (user, room)
        // row and inserts it again, so it takes a position after every change committed before.
        // Both engines' keys never reuse a value.
        sql`CREATE TABLE syncapi_notification_data (
          id ${sql.raw(caps.autoIncrementPk)},
          user_id TEXT NOT NULL,
          room_id TEXT NOT NULL,
          notification_count BIGINT NOT NULL,
          highlight_count BIGINT NOT NULL,
          source_position BIGINT NOT NULL
        )`,
        // One row per (user, room); also a user's rows, read by every sync that has rooms to fill.
        sql`CREATE UNIQUE INDEX syncapi_notification_data_key ON syncapi_notification_data (user_id, room_id)`,
      ];
      for (const s of statements) await s.execute(db);
    },
  };
}
