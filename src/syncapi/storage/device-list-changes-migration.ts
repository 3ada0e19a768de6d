/**
 * A syncapi migration: `syncapi_device_list_changes`, the log of users (ours and other servers')
 * whose device lists or cross-signing keys changed (see `device-list-changes-table.ts`).
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** The table, as migration number `version`. */
export function deviceListChangesMigration(version: number): Migration {
  return {
    version,
    name: 'device list changes',
    async up(db, caps) {
      const statements = [
        // `id` is the `device_list` stream position.
        sql`CREATE TABLE syncapi_device_list_changes (
          id ${sql.raw(caps.autoIncrementPk)},
          user_id TEXT NOT NULL,
          change_key TEXT NOT NULL
        )`,
        // A change delivered twice (bus redelivery) is logged once.
        sql`CREATE UNIQUE INDEX syncapi_device_list_changes_key ON syncapi_device_list_changes (change_key)`,
      ];
      for (const s of statements) await s.execute(db);
    },
  };
}
