/**
 * SQLite's full-text index written in batches (`search-indexer.ts`): a written event waits in
 * `syncapi_search_unindexed`, a search indexes it first, the timer indexes it without a search,
 * and deleting rows whether indexed or still pending leaves FTS5 consistent. PostgreSQL indexes
 * on insert: the same searches find the same events.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { describeEachBackend } from '../../../test/harness/describe-each-backend.js';
import { queryTokens } from '../search/search-tokens.js';
import { openSyncStorage, type NewSyncEvent, type SearchPageQuery, type SyncStorage } from './index.js';
import { SEARCH_INDEX_DELAY_MS } from './search-indexer.js';

const ROOM = '!room:hs.test';

let depth = 0;
function message(eventId: string, body: string): NewSyncEvent {
  depth++;
  return {
    roomId: ROOM,
    eventId,
    type: 'm.room.message',
    sender: '@alice:hs.test',
    stateKey: null,
    membership: null,
    depth,
    originServerTs: 1_700_000_000_000 + depth,
    json: JSON.stringify({ event_id: eventId, room_id: ROOM, type: 'm.room.message', sender: '@alice:hs.test', content: { msgtype: 'm.text', body } }),
    strippedState: null,
    addsState: [],
    removesState: [],
    txnDeviceId: null,
    txnId: null,
  };
}

const write = async (storage: SyncStorage, e: NewSyncEvent, text: string) => {
  const position = await storage.writeRoomEvent({ event: e, adds: [], removes: [], searchText: text });
  assert.ok(position !== undefined);
  return position;
};

const query = (term: string): SearchPageQuery => ({
  tokens: queryTokens(term),
  rooms: [{ roomId: ROOM, upTo: Number.MAX_SAFE_INTEGER }],
  types: ['m.room.message'],
  senders: undefined,
  notSenders: [],
  order: 'recent',
  after: undefined,
  limit: 10,
});

describeEachBackend('syncapi search indexer', (ctx) => {
  it('finds an event as soon as it is written, and indexes in the background without a search', async () => {
    const database = await ctx.open();
    const db = database.db as Kysely<unknown>;
    const fts5 = database.caps.fullText === 'fts5';
    const storage = await openSyncStorage(database);
    const pending = async () => (fts5 ? (await sql<{ position: number }>`SELECT position FROM syncapi_search_unindexed ORDER BY position`.execute(db)).rows.map((r) => r.position) : []);
    const indexed = async (word: string) =>
      fts5 ? (await sql<{ rowid: number }>`SELECT rowid FROM syncapi_search_fts WHERE syncapi_search_fts MATCH ${word} ORDER BY rowid`.execute(db)).rows.map((r) => r.rowid) : [];

    const p1 = await write(storage, message('$one', 'banana split'), 'banana split');
    if (fts5) {
      assert.deepEqual(await pending(), [p1], 'waits outside the index after its commit');
      assert.deepEqual(await indexed('banana'), []);
    }
    assert.deepEqual((await storage.searchPage(query('banana'))).map((h) => h.event.eventId), ['$one'], 'a search indexes what is pending first');
    assert.equal(await storage.countSearchMatches(query('split')), 1);
    assert.deepEqual(await pending(), []);
    if (fts5) assert.deepEqual(await indexed('banana'), [p1]);

    const p2 = await write(storage, message('$two', 'cherry pie'), 'cherry pie');
    await new Promise((r) => setTimeout(r, SEARCH_INDEX_DELAY_MS + 150));
    assert.deepEqual(await pending(), [], 'indexed by the timer');
    if (fts5) assert.deepEqual(await indexed('cherry'), [p2]);
  });

  it('forgets deleted rows whether indexed or pending, leaving the index consistent', async () => {
    const database = await ctx.open();
    const db = database.db as Kysely<unknown>;
    const storage = await openSyncStorage(database);
    await write(storage, message('$indexed', 'durian one'), 'durian one');
    assert.equal(await storage.countSearchMatches(query('durian')), 1); // now indexed
    await write(storage, message('$pending', 'durian two'), 'durian two');
    await write(storage, message('$kept', 'durian three'), 'durian three');
    for (const id of ['$indexed', '$pending']) {
      assert.equal(await storage.redactEvent(id, JSON.stringify({ event_id: id, room_id: ROOM, type: 'm.room.message', content: {} })), true);
    }
    assert.deepEqual((await storage.searchPage(query('durian'))).map((h) => h.event.eventId), ['$kept']);
    assert.equal(await storage.countSearchMatches(query('durian')), 1);
    if (database.caps.fullText === 'fts5') {
      // Throws SQLITE_CORRUPT_VTAB if the index holds words its content table does not.
      await sql`INSERT INTO syncapi_search_fts (syncapi_search_fts, rank) VALUES ('integrity-check', 1)`.execute(db);
    }
  });
});
