/**
 * The full-text index of `/search` (`search-table.ts`), filled from the events already stored.
 *
 * The table is the same on both engines; how its words are indexed differs by the `fullText` flag:
 * - SQLite: an FTS5 table over `text` with `syncapi_search` as its external content (the words
 *   are stored once), kept in step by triggers, so writes are the shared table's inserts and
 *   deletes. `remove_diacritics 0`: the words are already folded (`search-tokens.ts`).
 * - PostgreSQL: a generated `tsvector` column with a GIN index. The `simple` configuration, not
 *   `english`: messages are in every language, and `english` would stem and drop stop words in
 *   all of them (and make the two engines match differently); `simple` only lower-cases, as
 *   SQLite's `unicode61` does, so a word matches the same events on both.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../../internal/sqlutil/run-migrations.js';
import type { StorageCapabilities } from '../../internal/sqlutil/storage-capabilities.js';
import { SEARCH_KEY_TYPES, searchIndexText } from '../search/searchable-text.js';
import { insertSearchEntries, type SearchEntryWrite } from './search-table.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** Rows read per page of the back-fill. */
const PAGE = 500;

/** Creates `syncapi_search`; `version` is its place in `SYNCAPI_MIGRATIONS`. */
export function searchMigration(version: number): Migration {
  return {
    version,
    name: 'full-text search index',
    async up(db, caps) {
      for (const s of ddl(caps)) await s.execute(db);
      await backfill(db as unknown as Kysely<SyncapiTables>, caps);
    },
  };
}

function ddl(caps: StorageCapabilities) {
  if (caps.fullText === 'fts5') {
    return [
      // INTEGER PRIMARY KEY: the rowid itself, which FTS5's external content is keyed by.
      sql`CREATE TABLE syncapi_search (
        position INTEGER PRIMARY KEY,
        room_id TEXT NOT NULL,
        type TEXT NOT NULL,
        sender TEXT NOT NULL,
        text TEXT NOT NULL
      )`,
      sql`CREATE VIRTUAL TABLE syncapi_search_fts USING fts5(
        text, content='syncapi_search', content_rowid='position', tokenize='unicode61 remove_diacritics 0'
      )`,
      sql`CREATE TRIGGER syncapi_search_fts_insert AFTER INSERT ON syncapi_search BEGIN
        INSERT INTO syncapi_search_fts(rowid, text) VALUES (new.position, new.text);
      END`,
      sql`CREATE TRIGGER syncapi_search_fts_delete AFTER DELETE ON syncapi_search BEGIN
        INSERT INTO syncapi_search_fts(syncapi_search_fts, rowid, text) VALUES ('delete', old.position, old.text);
      END`,
      sql`CREATE TRIGGER syncapi_search_fts_update AFTER UPDATE ON syncapi_search BEGIN
        INSERT INTO syncapi_search_fts(syncapi_search_fts, rowid, text) VALUES ('delete', old.position, old.text);
        INSERT INTO syncapi_search_fts(rowid, text) VALUES (new.position, new.text);
      END`,
    ];
  }
  return [
    sql`CREATE TABLE syncapi_search (
      position BIGINT PRIMARY KEY,
      room_id TEXT NOT NULL,
      type TEXT NOT NULL,
      sender TEXT NOT NULL,
      text TEXT NOT NULL,
      vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED
    )`,
    sql`CREATE INDEX syncapi_search_vector ON syncapi_search USING GIN (vector)`,
  ];
}

/** Indexes the searchable events stored before this migration (redacted ones have nothing left to find). */
async function backfill(db: Kysely<SyncapiTables>, caps: StorageCapabilities): Promise<void> {
  const types = Object.values(SEARCH_KEY_TYPES);
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('syncapi_output_room_events')
      .select(['id', 'room_id', 'type', 'sender', 'json'])
      .where('id', '>', after)
      .where('redacted', '=', 0)
      .where('type', 'in', types)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    const entries: SearchEntryWrite[] = [];
    for (const r of rows) {
      const text = searchIndexText(JSON.parse(r.json) as object);
      if (text !== undefined) entries.push({ position: Number(r.id), roomId: r.room_id, type: r.type, sender: r.sender, text });
    }
    await insertSearchEntries({ db, caps }, entries);
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) return;
    after = Number(last.id);
  }
}
