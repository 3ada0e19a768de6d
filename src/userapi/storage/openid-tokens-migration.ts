/** The table of OpenID tokens (described in `openid-tokens-table.ts` and `userapi-tables.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates `userapi_openid_tokens`; `version` is its place in `USERAPI_MIGRATIONS`. */
export function openIdTokensMigration(version: number): Migration {
  return {
    version,
    name: 'openid tokens',
    async up(db) {
      await sql`CREATE TABLE userapi_openid_tokens (
        token_hash TEXT PRIMARY KEY,
        localpart TEXT NOT NULL,
        expires_ts BIGINT NOT NULL
      )`.execute(db);
      await sql`CREATE INDEX userapi_openid_tokens_expiry ON userapi_openid_tokens (expires_ts)`.execute(db);
    },
  };
}
