/**
 * `mediaapi_url_previews` (see `url-previews-table.ts`): previews already built, so the same URL
 * shared in a busy room is fetched once, and `preview_url?ts=` can answer with the preview
 * closest to a point in time.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Creates the table; `version` is its place in the mediaapi's migration list. */
export function urlPreviewsMigration(version: number): Migration {
  return {
    version,
    name: 'url previews',
    async up(db) {
      await sql`CREATE TABLE mediaapi_url_previews (
        url TEXT NOT NULL,
        fetched_ts BIGINT NOT NULL,
        expires_ts BIGINT NOT NULL,
        preview_json TEXT NOT NULL,
        PRIMARY KEY (url, fetched_ts)
      )`.execute(db);
      // Pruning deletes by expiry.
      await sql`CREATE INDEX mediaapi_url_previews_expiry ON mediaapi_url_previews (expires_ts)`.execute(db);
    },
  };
}
