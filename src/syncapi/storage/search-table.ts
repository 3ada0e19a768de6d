/**
 * `syncapi_search`: the full-text index of `/search`, one row per searchable event (its
 * searchable words, `search/search-tokens.ts`), written with the event in its transaction and
 * deleted when the event is redacted. The table and every statement are shared; the engines
 * differ only in how the words are matched and ranked (see `search-migration.ts` for the DDL):
 *
 * - SQLite (`fts5`): the FTS5 table `syncapi_search_fts` indexes `text` (external content,
 *   kept in step by triggers), joined on its rowid; rank is `-bm25()` (FTS5's is lower-better).
 * - PostgreSQL (`tsvector`): the generated column `vector` with its GIN index; rank is
 *   `ts_rank()` (of the row alone: no weight for rare words), made a double so the value a
 *   `next_batch` carries compares exactly.
 *
 * Each word of the query must match, as a prefix ("hel" finds "hello"), as Synapse matches.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import type { StorageCapabilities } from '../../internal/sqlutil/storage-capabilities.js';
import { SYNC_EVENT_COLUMNS, toSyncEvent, type SyncEvent } from './output-room-events-table.js';
import type { SyncDb } from './sync-db.js';
import type { SearchTable, SyncapiTables } from './syncapi-tables.js';

/** An event's entry in the index. */
export interface SearchEntryWrite {
  /** The event's stream position. */
  readonly position: number;
  readonly roomId: string;
  readonly type: string;
  readonly sender: string;
  /** Its searchable words joined by spaces (`indexText`), never empty. */
  readonly text: string;
}

/** A room to search, and the last stream position of it to search. */
export interface SearchRoomBound {
  readonly roomId: string;
  readonly upTo: number;
}

/** What a search matches. */
export interface SearchMatch {
  /** Words every hit must have (as prefixes); at least one, each letters and digits only. */
  readonly tokens: readonly string[];
  /** At least one room. Rooms with `m.room.encryption` in their current state are left out. */
  readonly rooms: readonly SearchRoomBound[];
  /** Event types to search; at least one. */
  readonly types: readonly string[];
  /** Only these senders; undefined for all. */
  readonly senders: readonly string[] | undefined;
  readonly notSenders: readonly string[];
}

/** One page of hits. */
export interface SearchPageQuery extends SearchMatch {
  /** `rank`: rank descending, then position descending; `recent`: position descending. */
  readonly order: 'rank' | 'recent';
  /** Only hits after this one in the order. */
  readonly after: { readonly rank: number; readonly position: number } | undefined;
  readonly limit: number;
}

/** A matching event and its rank (higher is closer). */
export interface SearchHit {
  readonly event: SyncEvent;
  readonly rank: number;
}

// Run for every searchable event received.
const insertQuery = preparedQuery((db: Kysely<SyncapiTables>, p: SearchTable) =>
  db
    .insertInto('syncapi_search')
    .values({ position: p.position, room_id: p.room_id, type: p.type, sender: p.sender, text: p.text })
    .onConflict((oc) => oc.column('position').doNothing()),
);

/** Indexes one event (again: nothing changes). */
export async function insertSearchEntry(t: SyncDb, e: SearchEntryWrite): Promise<void> {
  await insertQuery.run(t, toRow(e));
}

/** Indexes many events at once (a migration's back-fill). */
export async function insertSearchEntries(t: SyncDb, entries: readonly SearchEntryWrite[]): Promise<void> {
  if (entries.length === 0) return;
  await t.db
    .insertInto('syncapi_search')
    .values(entries.map(toRow))
    .onConflict((oc) => oc.column('position').doNothing())
    .execute();
}

/**
 * SQLite: indexes the rows waiting in `syncapi_search_unindexed` (`search-deferred-migration.ts`)
 * in one transaction, one FTS5 segment for all of them. PostgreSQL indexes on insert: nothing to do.
 */
export async function indexPendingSearchEntries(t: SyncDb): Promise<void> {
  if (t.caps.fullText !== 'fts5') return;
  const waiting = await sql<{ one: number }>`SELECT 1 AS one FROM syncapi_search_unindexed LIMIT 1`.execute(t.db);
  if (waiting.rows.length === 0) return;
  await t.db.transaction().execute(async (trx) => {
    await sql`INSERT INTO syncapi_search_fts (rowid, text)
      SELECT s.position, s.text FROM syncapi_search_unindexed u JOIN syncapi_search s ON s.position = u.position
      ORDER BY u.position`.execute(trx);
    await sql`DELETE FROM syncapi_search_unindexed`.execute(trx);
  });
}

const deleteQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { eventId: string }) =>
  db.deleteFrom('syncapi_search').where('position', 'in', (eb) => eb.selectFrom('syncapi_output_room_events').select('id').where('event_id', '=', p.eventId)),
);

/** Removes an event from the index (it was redacted), if it was there. */
export async function deleteSearchEntry(t: SyncDb, eventId: string): Promise<void> {
  await deleteQuery.run(t, { eventId });
}

const EVENT_COLUMNS = SYNC_EVENT_COLUMNS.map((c) => `e.${c}` as const);

/** One page of hits in the query's order. */
export async function selectSearchPage(t: SyncDb, q: SearchPageQuery): Promise<SearchHit[]> {
  if (q.limit <= 0 || matchesNothing(q)) return [];
  const rank = rankOf(t.caps, q.tokens);
  let query = matching(t, q).select([...EVENT_COLUMNS, rank.as('rank')]);
  const a = q.after;
  if (a !== undefined && q.order === 'recent') query = query.where('s.position', '<', a.position);
  if (a !== undefined && q.order === 'rank') {
    // The cursor's rank as the engine ranks it *now*: bm25 weighs words by how rare they are in
    // the whole index, so every rank moves a little as events come and go, and a rank kept from
    // an earlier page would cut the order in the wrong place. The hit itself keeps its place
    // among the others (exactly for one word, all moving by the same factor), so its rank read
    // now cuts where the last page ended. The kept rank stands in if it was redacted since
    // (exact with `ts_rank`, which depends on the row alone; with bm25 only if nothing moved).
    const cut = sql<number>`COALESCE((${rankAt(t.caps, q.tokens, a.position)}), ${a.rank})`;
    query = query.where((eb) => eb.or([eb(rank, '<', cut), eb.and([eb(rank, '=', cut), eb('s.position', '<', a.position)])]));
  }
  if (q.order === 'rank') query = query.orderBy('rank', 'desc');
  const rows = await query.orderBy('s.position', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({ event: toSyncEvent(r), rank: Number(r.rank) }));
}

/** How many events match (every hit the search could return, before history visibility). */
export async function countSearchMatches(t: SyncDb, q: SearchMatch): Promise<number> {
  if (matchesNothing(q)) return 0;
  const row = await matching(t, q)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** True when an empty list leaves nothing to match (and would make an empty `IN ()`). */
function matchesNothing(q: SearchMatch): boolean {
  return q.tokens.length === 0 || q.rooms.length === 0 || q.types.length === 0 || q.senders?.length === 0;
}

/** The matching rows, joined with their events; every condition but the order's. */
function matching(t: SyncDb, q: SearchMatch) {
  // Two bound values per room; the CTE joins them as a table on both engines (CAST: PostgreSQL
  // would otherwise type the bound as text).
  const rooms = sql.join(q.rooms.map((r) => sql`(${r.roomId}, CAST(${r.upTo} AS BIGINT))`));
  let from = t.db
    .with('search_rooms(room_id, up_to)', () => sql<{ room_id: string; up_to: number }>`(VALUES ${rooms})`)
    .selectFrom('syncapi_search as s')
    .innerJoin('search_rooms as r', 'r.room_id', 's.room_id')
    .innerJoin('syncapi_output_room_events as e', 'e.id', 's.position');
  // FTS5's table is named without an alias: MATCH and bm25() take the table's own name. The
  // cast only drops the joined table from the type: nothing below refers to it by type.
  if (t.caps.fullText === 'fts5') from = from.innerJoin('syncapi_search_fts', 'syncapi_search_fts.rowid', 's.position') as unknown as typeof from;
  return from
    .where(matchOf(t.caps, q.tokens))
    .whereRef('s.position', '<=', 'r.up_to')
    .where('s.type', 'in', q.types)
    .where('e.redacted', '=', 0)
    .$if(q.senders !== undefined, (b) => b.where('s.sender', 'in', q.senders!))
    .$if(q.notSenders.length > 0, (b) => b.where('s.sender', 'not in', q.notSenders))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('syncapi_current_room_state as c')
            .select('c.room_id')
            .whereRef('c.room_id', '=', 's.room_id')
            .where('c.type', '=', 'm.room.encryption')
            .where('c.state_key', '=', ''),
        ),
      ),
    );
}

/** The condition "every token matches as a prefix". */
function matchOf(caps: StorageCapabilities, tokens: readonly string[], alias = 's'): RawBuilder<boolean> {
  if (caps.fullText === 'fts5') return sql<boolean>`syncapi_search_fts MATCH ${ftsQuery(tokens)}`;
  return sql<boolean>`${sql.ref(`${alias}.vector`)} @@ to_tsquery('simple', ${tsQuery(tokens)})`;
}

/** The rank of a matching row, higher for a closer match. */
function rankOf(caps: StorageCapabilities, tokens: readonly string[], alias = 's'): RawBuilder<number> {
  if (caps.fullText === 'fts5') return sql<number>`-bm25(syncapi_search_fts)`;
  return sql<number>`CAST(ts_rank(${sql.ref(`${alias}.vector`)}, to_tsquery('simple', ${tsQuery(tokens)})) AS DOUBLE PRECISION)`;
}

/** A scalar query: the rank of the row at `position` if it matches, else no row. */
function rankAt(caps: StorageCapabilities, tokens: readonly string[], position: number): RawBuilder<number> {
  if (caps.fullText === 'fts5') {
    // CAST: FTS5 takes over a rowid constraint but ignores a value bound as a real number
    // (as a JavaScript number may be), which would leave every match in the subquery.
    return sql<number>`SELECT -bm25(syncapi_search_fts) FROM syncapi_search_fts WHERE syncapi_search_fts MATCH ${ftsQuery(tokens)} AND syncapi_search_fts.rowid = CAST(${position} AS INTEGER)`;
  }
  return sql<number>`SELECT ${rankOf(caps, tokens, 'x')} FROM syncapi_search AS x WHERE x.position = ${position} AND ${matchOf(caps, tokens, 'x')}`;
}

function ftsQuery(tokens: readonly string[]): string {
  return tokens.map((w) => `"${w}"*`).join(' AND ');
}

function tsQuery(tokens: readonly string[]): string {
  return tokens.map((w) => `${w}:*`).join(' & ');
}

function toRow(e: SearchEntryWrite): SearchTable {
  return { position: e.position, room_id: e.roomId, type: e.type, sender: e.sender, text: e.text };
}
