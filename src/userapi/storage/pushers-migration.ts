/** The table of pushers (described in `pushers-table.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates `userapi_pushers`; `version` is its place in `USERAPI_MIGRATIONS`. */
export function pushersMigration(version: number): Migration {
  return {
    version,
    name: 'pushers',
    async up(db) {
      await sql`CREATE TABLE userapi_pushers (
        localpart TEXT NOT NULL,
        app_id TEXT NOT NULL,
        pushkey TEXT NOT NULL,
        kind TEXT NOT NULL,
        app_display_name TEXT NOT NULL,
        device_display_name TEXT NOT NULL,
        profile_tag TEXT,
        lang TEXT NOT NULL,
        data TEXT NOT NULL,
        pushkey_ts BIGINT NOT NULL,
        device_id TEXT,
        PRIMARY KEY (localpart, app_id, pushkey)
      )`.execute(db);
      // append: false deletes other users' pushers by (app_id, pushkey).
      await sql`CREATE INDEX userapi_pushers_app_pushkey ON userapi_pushers (app_id, pushkey)`.execute(db);
    },
  };
}
