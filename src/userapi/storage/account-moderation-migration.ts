/**
 * The moderation flags of `userapi_accounts` (spec "Account moderation"): `locked` and
 * `suspended`, both reversible, so they are columns next to `deactivated` rather than deletions.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Adds `locked` and `suspended` (0 for every existing account); `version` is its place in `USERAPI_MIGRATIONS`. */
export function accountModerationMigration(version: number): Migration {
  return {
    version,
    name: 'account locking and suspension',
    async up(db) {
      await sql`ALTER TABLE userapi_accounts ADD COLUMN locked INTEGER NOT NULL DEFAULT 0`.execute(db);
      await sql`ALTER TABLE userapi_accounts ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0`.execute(db);
    },
  };
}
