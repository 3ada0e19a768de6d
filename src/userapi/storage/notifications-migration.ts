/** The notification tables (described in `notifications-table.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates `userapi_notifications` and its stream counter; `version` is its place in `USERAPI_MIGRATIONS`. */
export function notificationsMigration(version: number): Migration {
  return {
    version,
    name: 'notifications',
    async up(db) {
      // `id` is the notification stream position of the row's insertion (taken from the counter
      // below, not an auto-increment, so positions commit in order on PostgreSQL too).
      await sql`CREATE TABLE userapi_notifications (
        id BIGINT PRIMARY KEY,
        localpart TEXT NOT NULL,
        room_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        room_pos BIGINT NOT NULL,
        event_ts BIGINT NOT NULL,
        ts BIGINT NOT NULL,
        highlight INTEGER NOT NULL,
        actions TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0
      )`.execute(db);
      // Redelivery dedupe, and the event's room position for a receipt naming it (any user's row).
      await sql`CREATE UNIQUE INDEX userapi_notifications_event ON userapi_notifications (event_id, localpart)`.execute(db);
      await sql`CREATE INDEX userapi_notifications_counts ON userapi_notifications (localpart, room_id, read)`.execute(db);
      await sql`CREATE INDEX userapi_notifications_list ON userapi_notifications (localpart, id)`.execute(db);
      await sql`CREATE INDEX userapi_notifications_room_pos ON userapi_notifications (localpart, room_id, room_pos)`.execute(db);
      await sql`CREATE TABLE userapi_notification_stream (
        id INTEGER PRIMARY KEY,
        position BIGINT NOT NULL
      )`.execute(db);
    },
  };
}
