/** The E2EE key tables (described in `key-tables.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates the key tables and the key change log; `version` is its place in `USERAPI_MIGRATIONS`. */
export function keysMigration(version: number): Migration {
  return {
    version,
    name: 'e2ee keys and key change log',
    async up(db, caps) {
      const statements = [
        sql`CREATE TABLE userapi_device_keys (
          user_id TEXT NOT NULL,
          device_id TEXT NOT NULL,
          key_json TEXT NOT NULL,
          PRIMARY KEY (user_id, device_id)
        )`,
        sql`CREATE TABLE userapi_one_time_keys (
          id ${sql.raw(caps.autoIncrementPk)},
          user_id TEXT NOT NULL,
          device_id TEXT NOT NULL,
          key_id TEXT NOT NULL,
          algorithm TEXT NOT NULL,
          key_json TEXT NOT NULL
        )`,
        sql`CREATE UNIQUE INDEX userapi_one_time_keys_key ON userapi_one_time_keys (user_id, device_id, key_id)`,
        sql`CREATE INDEX userapi_one_time_keys_claim ON userapi_one_time_keys (user_id, device_id, algorithm, id)`,
        sql`CREATE TABLE userapi_fallback_keys (
          user_id TEXT NOT NULL,
          device_id TEXT NOT NULL,
          algorithm TEXT NOT NULL,
          key_id TEXT NOT NULL,
          key_json TEXT NOT NULL,
          used INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (user_id, device_id, algorithm)
        )`,
        sql`CREATE TABLE userapi_cross_signing_keys (
          user_id TEXT NOT NULL,
          key_type TEXT NOT NULL,
          key_json TEXT NOT NULL,
          PRIMARY KEY (user_id, key_type)
        )`,
        sql`CREATE TABLE userapi_key_signatures (
          origin_user_id TEXT NOT NULL,
          origin_key_id TEXT NOT NULL,
          target_user_id TEXT NOT NULL,
          target_key_id TEXT NOT NULL,
          signature TEXT NOT NULL,
          PRIMARY KEY (origin_user_id, origin_key_id, target_user_id, target_key_id)
        )`,
        sql`CREATE INDEX userapi_key_signatures_target ON userapi_key_signatures (target_user_id, target_key_id)`,
        sql`CREATE TABLE userapi_key_changes (
          stream_pos BIGINT PRIMARY KEY,
          user_id TEXT NOT NULL
        )`,
        sql`CREATE INDEX userapi_key_changes_user ON userapi_key_changes (user_id, stream_pos)`,
        sql`CREATE TABLE userapi_key_change_stream (
          id INTEGER PRIMARY KEY,
          position BIGINT NOT NULL
        )`,
      ];
      for (const s of statements) await s.execute(db);
    },
  };
}
