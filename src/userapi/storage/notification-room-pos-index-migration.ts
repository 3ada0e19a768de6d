/**
 * Drops `userapi_notifications_room_pos` (localpart, room_id, room_pos). A receipt marks a user's
 * unread rows in a room read up to a position, and since unread rows are found through
 * `userapi_notifications_counts` (localpart, room_id, read, thread_id), no query needs it; every
 * notification stored (one per recipient of every message) still paid for keeping it.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** The migration, as number `version` of `USERAPI_MIGRATIONS`. */
export function notificationRoomPosIndexMigration(version: number): Migration {
  return {
    version,
    name: 'drop notification room_pos index',
    async up(db) {
      await sql`DROP INDEX userapi_notifications_room_pos`.execute(db);
    },
  };
}
