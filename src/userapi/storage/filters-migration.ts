/** The table of uploaded `/sync` filters (described in `filters-table.ts` and `userapi-tables.ts`). */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates `userapi_filters`; `version` is its place in `USERAPI_MIGRATIONS`. */
export function filtersMigration(version: number): Migration {
  return {
    version,
    name: 'filters',
    async up(db, caps) {
      await sql`CREATE TABLE userapi_filters (
        id ${sql.raw(caps.autoIncrementPk)},
        localpart TEXT NOT NULL,
        filter_hash TEXT NOT NULL,
        filter TEXT NOT NULL
      )`.execute(db);
      await sql`CREATE UNIQUE INDEX userapi_filters_by_hash ON userapi_filters (localpart, filter_hash)`.execute(db);
    },
  };
}
