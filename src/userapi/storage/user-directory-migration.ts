/**
 * The user directory's tables (described in `userapi-tables.ts`), and the searchable words of the
 * local users that existed before them, computed here in JavaScript as every later write does.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';
import { directorySortName, localSearchText } from './directory-search-text.js';
import type { UserapiTables } from './userapi-tables.js';

/** Rows per backfill statement (3 parameters each: well under both engines' limits). */
const BACKFILL_CHUNK = 500;

/** Creates the directory tables; `version` is its place in `USERAPI_MIGRATIONS`. */
export function userDirectoryMigration(version: number): Migration {
  return {
    version,
    name: 'user directory',
    async up(trx) {
      const statements = [
        sql`CREATE TABLE userapi_directory_rooms (
          room_id TEXT PRIMARY KEY,
          join_rule TEXT,
          history_visibility TEXT,
          stream_pos BIGINT NOT NULL
        )`,
        sql`CREATE TABLE userapi_directory_room_members (
          room_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          localpart TEXT,
          PRIMARY KEY (room_id, user_id)
        )`,
        sql`CREATE INDEX userapi_directory_room_members_user ON userapi_directory_room_members (user_id)`,
        sql`CREATE INDEX userapi_directory_room_members_local ON userapi_directory_room_members (localpart)`,
        sql`CREATE TABLE userapi_directory_local_users (
          localpart TEXT PRIMARY KEY,
          search_text TEXT NOT NULL,
          sort_name TEXT NOT NULL
        )`,
        sql`CREATE TABLE userapi_directory_remote_users (
          user_id TEXT PRIMARY KEY,
          display_name TEXT,
          avatar_url TEXT,
          search_text TEXT NOT NULL,
          sort_name TEXT NOT NULL
        )`,
      ];
      for (const s of statements) await s.execute(trx);
      await backfillLocalUsers(trx as unknown as Kysely<UserapiTables>);
    },
  };
}

async function backfillLocalUsers(db: Kysely<UserapiTables>): Promise<void> {
  const profiles = await db.selectFrom('userapi_profiles').select(['localpart', 'displayname']).execute();
  for (let i = 0; i < profiles.length; i += BACKFILL_CHUNK) {
    const rows = profiles.slice(i, i + BACKFILL_CHUNK).map((p) => ({
      localpart: p.localpart,
      search_text: localSearchText(p.localpart, p.displayname),
      sort_name: directorySortName(p.localpart, p.displayname),
    }));
    await db.insertInto('userapi_directory_local_users').values(rows).execute();
  }
}
