/**
 * A syncapi migration: `syncapi_sent_members`, what lazy-loading `/sync` responses already sent
 * each device — one row per (user, device, room, member) holding the member event ID the device
 * last received, so a later response can leave out a member event it would only repeat.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** The sent-members table, as migration number `version`. */
export function sentMembersMigration(version: number): Migration {
  return {
    version,
    name: 'members sent to each device by lazy-loading syncs',
    async up(db) {
      // The key's order serves both reads: a device's rooms, and forgetting a whole device.
      await sql`CREATE TABLE syncapi_sent_members (
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        room_id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        PRIMARY KEY (user_id, device_id, room_id, member_id)
      )`.execute(db);
    },
  };
}
