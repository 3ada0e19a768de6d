/**
 * `federationapi_remote_device_lists` (see `remote-device-lists-table.ts`): other servers'
 * users' device lists as their `m.device_list_update` EDUs and `/user/devices` resyncs gave them.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates the table; `version` is its place in `FEDERATIONAPI_MIGRATIONS`. */
export function remoteDeviceListsMigration(version: number): Migration {
  return {
    version,
    name: 'remote device lists',
    async up(db) {
      await sql`CREATE TABLE federationapi_remote_device_lists (
        user_id TEXT NOT NULL PRIMARY KEY,
        stream_id BIGINT NOT NULL,
        devices_json TEXT NOT NULL,
        master_key TEXT,
        self_signing_key TEXT,
        updated_at BIGINT NOT NULL
      )`.execute(db);
    },
  };
}
