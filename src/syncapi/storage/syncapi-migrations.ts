/**
 * The syncapi's schema as versioned migrations (`run-migrations.ts`). One DDL for both engines;
 * only the auto-increment key comes from the capability flags.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';
import { receiptsPresenceMigration } from './receipts-presence-migration.js';
import { topologicalIndexMigration } from './topological-index-migration.js';
import { sentMembersMigration } from './sent-members-migration.js';
import { relationsMigration } from './relations-migration.js';
import { searchMigration } from './search-migration.js';
import { sendToDeviceMigration } from './send-to-device-migration.js';
import { deviceListChangesMigration } from './device-list-changes-migration.js';
import { notificationDataMigration } from './notification-data-migration.js';
import { searchDeferredMigration } from './search-deferred-migration.js';
import { notificationDataThreadsMigration } from './notification-data-threads-migration.js';

const createTables: Migration = {
  version: 1,
  name: 'output room events and current room state',
  async up(db, caps) {
    const statements = [
      sql`CREATE TABLE syncapi_output_room_events (
        id ${sql.raw(caps.autoIncrementPk)},
        room_id TEXT NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        sender TEXT NOT NULL,
        state_key TEXT,
        membership TEXT,
        depth BIGINT NOT NULL,
        origin_server_ts BIGINT NOT NULL,
        json TEXT NOT NULL,
        stripped_state TEXT,
        adds_state TEXT NOT NULL,
        removes_state TEXT NOT NULL,
        changes_state INTEGER NOT NULL,
        txn_device_id TEXT,
        txn_id TEXT,
        redacted INTEGER NOT NULL DEFAULT 0
      )`,
      // A room's latest events (timelines), and the events of a position range in a room.
      sql`CREATE INDEX syncapi_output_room_events_room ON syncapi_output_room_events (room_id, id)`,
      // The events that changed a room's state after a position (state at a timeline's start).
      sql`CREATE INDEX syncapi_output_room_events_state ON syncapi_output_room_events (room_id, changes_state, id)`,
      // A user's membership events in a position range (joins, leaves and invites since a sync).
      sql`CREATE INDEX syncapi_output_room_events_member ON syncapi_output_room_events (state_key, type, id)`,
      sql`CREATE TABLE syncapi_current_room_state (
        room_id TEXT NOT NULL,
        type TEXT NOT NULL,
        state_key TEXT NOT NULL,
        event_id TEXT NOT NULL UNIQUE,
        json TEXT NOT NULL,
        membership TEXT,
        added_at BIGINT NOT NULL,
        PRIMARY KEY (room_id, type, state_key)
      )`,
      // A user's rooms by membership.
      sql`CREATE INDEX syncapi_current_room_state_user ON syncapi_current_room_state (state_key, type)`,
      // Member counts and heroes of a room, in the order members arrived.
      sql`CREATE INDEX syncapi_current_room_state_members ON syncapi_current_room_state (room_id, membership, added_at)`,
    ];
    for (const s of statements) await s.execute(db);
  },
};

export const SYNCAPI_MIGRATIONS: readonly Migration[] = [createTables, receiptsPresenceMigration(2), topologicalIndexMigration(3), sentMembersMigration(4), relationsMigration(5), searchMigration(6), sendToDeviceMigration(7), deviceListChangesMigration(8), notificationDataMigration(9), searchDeferredMigration(10), notificationDataThreadsMigration(11)];
