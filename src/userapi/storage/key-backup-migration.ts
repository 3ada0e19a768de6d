/** The key-backup tables (described in `key-backup-tables.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates `userapi_key_backup_versions` and `userapi_key_backup_keys`; `version` is its place in `USERAPI_MIGRATIONS`. */
export function keyBackupMigration(version: number): Migration {
  return {
    version,
    name: 'key backup',
    async up(db, caps) {
      await sql`CREATE TABLE userapi_key_backup_versions (
        localpart TEXT NOT NULL,
        version BIGINT NOT NULL,
        algorithm TEXT NOT NULL,
        auth_data TEXT NOT NULL,
        etag BIGINT NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (localpart, version)
      )`.execute(db);
      // Keys are only ever reached through their (user, version, room, session) prefix, so the
      // primary key's B-tree is the table (clustered on SQLite).
      await sql`CREATE TABLE userapi_key_backup_keys (
        localpart TEXT NOT NULL,
        version BIGINT NOT NULL,
        room_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        first_message_index BIGINT NOT NULL,
        forwarded_count BIGINT NOT NULL,
        is_verified INTEGER NOT NULL,
        session_data TEXT NOT NULL,
        PRIMARY KEY (localpart, version, room_id, session_id)
      ) ${sql.raw(caps.clusteredPrimaryKey)}`.execute(db);
    },
  };
}
