/**
 * SQLite: words reach the FTS5 index in batches instead of in each event's transaction
 * (`search-indexer.ts`). FTS5 writes a new index segment at every commit that inserted into it:
 * with the trigger of `search-migration.ts`, each message's transaction wrote about 22 KB of
 * extra log (five or six pages) and spent ~50 µs more in its commit than the event's own rows.
 *
 * An inserted `syncapi_search` row now only records its position in `syncapi_search_unindexed`
 * (one page, in the event's transaction: nothing is lost by a crash); the indexer moves those
 * rows into the FTS5 index many at a time, and every search indexes what is pending first, so
 * a search still finds an event as soon as its send has returned. Deletes and updates tell FTS5
 * to forget a row only if it was indexed: an external-content FTS5 table must never be told to
 * delete words it does not hold.
 *
 * PostgreSQL (a generated `tsvector` column) is unchanged.
 */
import { sql } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';

/** Defers SQLite's full-text indexing; `version` is its place in `SYNCAPI_MIGRATIONS`. */
export function searchDeferredMigration(version: number): Migration {
  return {
    version,
    name: 'full-text index written in batches (SQLite)',
    async up(db, caps) {
      if (caps.fullText !== 'fts5') return;
      const statements = [
        sql`CREATE TABLE syncapi_search_unindexed (position INTEGER PRIMARY KEY)`,
        sql`DROP TRIGGER syncapi_search_fts_insert`,
        sql`DROP TRIGGER syncapi_search_fts_delete`,
        sql`DROP TRIGGER syncapi_search_fts_update`,
        sql`CREATE TRIGGER syncapi_search_fts_insert AFTER INSERT ON syncapi_search BEGIN
          INSERT OR IGNORE INTO syncapi_search_unindexed (position) VALUES (new.position);
        END`,
        sql`CREATE TRIGGER syncapi_search_fts_delete AFTER DELETE ON syncapi_search BEGIN
          INSERT INTO syncapi_search_fts (syncapi_search_fts, rowid, text)
            SELECT 'delete', old.position, old.text
            WHERE NOT EXISTS (SELECT 1 FROM syncapi_search_unindexed WHERE position = old.position);
          DELETE FROM syncapi_search_unindexed WHERE position = old.position;
        END`,
        sql`CREATE TRIGGER syncapi_search_fts_update AFTER UPDATE ON syncapi_search BEGIN
          INSERT INTO syncapi_search_fts (syncapi_search_fts, rowid, text)
            SELECT 'delete', old.position, old.text
            WHERE NOT EXISTS (SELECT 1 FROM syncapi_search_unindexed WHERE position = old.position);
          DELETE FROM syncapi_search_unindexed WHERE position = old.position;
          INSERT OR IGNORE INTO syncapi_search_unindexed (position) VALUES (new.position);
        END`,
      ];
      for (const s of statements) await s.execute(db);
    },
  };
}
