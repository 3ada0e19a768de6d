/**
 * The syncapi's full-text index (`syncapi_search`) on SQLite and PostgreSQL: words matched as
 * prefixes, all of them required, case and accents folded; rank (more occurrences rank higher)
 * and recent order; the rooms' upper bounds, types, senders; encrypted rooms left out; pages of
 * 2 in both orders returning every hit once; the count; a redaction removing its hit; and the
 * migration back-filling events stored before it.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Database } from '../../src/internal/sqlutil/database.js';
import { typedDb } from '../../src/internal/sqlutil/database.js';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import { searchIndexText } from '../../src/syncapi/search/searchable-text.js';
import { queryTokens } from '../../src/syncapi/search/search-tokens.js';
import { createSyncStorage, openSyncStorage, type NewSyncEvent, type SearchHit, type SearchPageQuery, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { SYNCAPI_MIGRATIONS } from '../../src/syncapi/storage/syncapi-migrations.js';
import type { SyncapiTables } from '../../src/syncapi/storage/syncapi-tables.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

const R1 = '!one:hs.test';
const R2 = '!two:hs.test';
const ENC = '!encrypted:hs.test';
const ALICE = '@alice:hs.test';
const BOB = '@bob:hs.test';
const ALL_TYPES = ['m.room.message', 'm.room.name', 'm.room.topic'];
const END = Number.MAX_SAFE_INTEGER;

let depth = 0;
function event(roomId: string, eventId: string, type: string, content: Record<string, unknown>, sender = ALICE): NewSyncEvent {
  const stateKey = type === 'm.room.message' ? null : '';
  return {
    roomId,
    eventId,
    type,
    sender,
    stateKey,
    membership: null,
    depth: ++depth,
    originServerTs: 1_700_000_000_000 + depth,
    json: JSON.stringify({ event_id: eventId, room_id: roomId, type, sender, content, ...(stateKey === null ? {} : { state_key: stateKey }) }),
    strippedState: null,
    addsState: [],
    removesState: [],
    txnDeviceId: null,
    txnId: null,
  };
}

const message = (roomId: string, eventId: string, body: string, sender = ALICE) => event(roomId, eventId, 'm.room.message', { msgtype: 'm.text', body }, sender);

/** Writes `e` as the roomserver consumer does: with its searchable text, state events as state. */
async function write(storage: SyncStorage, e: NewSyncEvent): Promise<number> {
  const adds = e.stateKey === null ? [] : [{ type: e.type, stateKey: e.stateKey, eventId: e.eventId, json: e.json, membership: null }];
  const position = await storage.writeRoomEvent({ event: e, adds, removes: [], searchText: searchIndexText(JSON.parse(e.json) as object) });
  assert.ok(position !== undefined);
  return position;
}

describeEachBackend('syncapi storage: search index', (ctx) => {
  let database: Database;
  let storage: SyncStorage;
  const pos = new Map<string, number>();
  const query = (term: string, over: Partial<SearchPageQuery> = {}): SearchPageQuery => ({
    tokens: queryTokens(term),
    rooms: [
      { roomId: R1, upTo: END },
      { roomId: R2, upTo: END },
      { roomId: ENC, upTo: END },
    ],
    types: ALL_TYPES,
    senders: undefined,
    notSenders: [],
    order: 'rank',
    after: undefined,
    limit: 100,
    ...over,
  });
  const ids = (hits: SearchHit[]) => hits.map((h) => h.event.eventId);

  before(async () => {
    database = await ctx.open();
    storage = await openSyncStorage(database);
    for (const e of [
      message(R1, '$once', 'I like apples and pears'),
      message(R1, '$thrice', 'apple apple APPLE'),
      message(R2, '$other', 'apples in another room', BOB),
      event(R1, '$name', 'm.room.name', { name: 'Apple growers' }),
      event(R2, '$topic', 'm.room.topic', { topic: 'Orchards', 'm.topic': { 'm.text': [{ body: '<b>Orchards</b>', mimetype: 'text/html' }, { body: 'Orchards and apple trees' }] } }),
      message(R1, '$cafe', 'Meet at the Café Zoë'),
      message(R1, '$nothing', 'nothing to see'),
      event(ENC, '$encCreate', 'm.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' }),
      message(ENC, '$encPlain', 'apple in an encrypted room'),
      message(R1, '$late', 'a late apple', BOB),
      message(R2, '$cyrillic', 'Привет, мир'),
      message(R2, '$cjk', '東京タワー'),
      ...['$kiwi1', '$kiwi2', '$kiwi3', '$kiwi4', '$kiwi5'].map((id) => message(R2, id, 'kiwi fruit')),
    ]) {
      pos.set(e.eventId, await write(storage, e));
    }
  });

  it('matches every word as a prefix, folding case and accents, over bodies, names and topics', async () => {
    assert.deepEqual(ids(await storage.searchPage(query('apple', { order: 'recent' }))), ['$late', '$topic', '$name', '$other', '$thrice', '$once']);
    assert.deepEqual(ids(await storage.searchPage(query('APPLES pear'))), ['$once']);
    assert.deepEqual(ids(await storage.searchPage(query('apples growers'))), []);
    assert.deepEqual(ids(await storage.searchPage(query('cafe zoe'))), ['$cafe']);
    assert.deepEqual(ids(await storage.searchPage(query('CAFÉ'))), ['$cafe']);
    // The HTML representation of the topic is not indexed, its plain text is.
    assert.deepEqual(ids(await storage.searchPage(query('trees'))), ['$topic']);
    assert.deepEqual(ids(await storage.searchPage(query('orch'))), ['$topic']);
    assert.deepEqual(ids(await storage.searchPage(query('zzz'))), []);
    assert.deepEqual(await storage.searchPage(query('')), []);
    assert.deepEqual(ids(await storage.searchPage(query('ПРИВ'))), ['$cyrillic']);
    assert.deepEqual(ids(await storage.searchPage(query('東京'))), ['$cjk']);
  });

  it('ranks more occurrences higher, ranks descending, and serves the stored events', async () => {
    const hits = await storage.searchPage(query('apple'));
    assert.equal(hits[0]!.event.eventId, '$thrice');
    assert.equal(new Set(ids(hits)).size, 6);
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.rank >= hits[i]!.rank, `rank order at ${i}`);
    for (const h of hits) assert.ok(h.rank > 0 && Number.isFinite(h.rank));
    const thrice = hits[0]!.event;
    assert.deepEqual([thrice.roomId, thrice.sender, thrice.type, thrice.position], [R1, ALICE, 'm.room.message', pos.get('$thrice')]);
    assert.equal((JSON.parse(thrice.json) as { content: { body: string } }).content.body, 'apple apple APPLE');
  });

  it('rooms with their upper bounds, types, senders', async () => {
    const onlyR1UpToName = query('apple', { order: 'recent', rooms: [{ roomId: R1, upTo: pos.get('$name')! }] });
    assert.deepEqual(ids(await storage.searchPage(onlyR1UpToName)), ['$name', '$thrice', '$once']);
    assert.deepEqual(ids(await storage.searchPage(query('apple', { order: 'recent', types: ['m.room.name', 'm.room.topic'] }))), ['$topic', '$name']);
    assert.deepEqual(ids(await storage.searchPage(query('apple', { order: 'recent', senders: [BOB] }))), ['$late', '$other']);
    assert.deepEqual(ids(await storage.searchPage(query('apple', { order: 'recent', notSenders: [ALICE] }))), ['$late', '$other']);
    assert.deepEqual(await storage.searchPage(query('apple', { senders: [] })), []);
    assert.deepEqual(await storage.searchPage(query('apple', { rooms: [] })), []);
    assert.deepEqual(await storage.searchPage(query('apple', { types: [] })), []);
    assert.deepEqual(await storage.searchPage(query('apple', { rooms: [{ roomId: '!unknown:hs.test', upTo: END }] })), []);
  });

  it('leaves encrypted rooms out', async () => {
    assert.deepEqual(ids(await storage.searchPage(query('encrypted'))), []);
    assert.equal(await storage.countSearchMatches(query('encrypted')), 0);
  });

  it('pages of 2 return every hit once, in order, both orders', async () => {
    for (const order of ['rank', 'recent'] as const) {
      const whole = ids(await storage.searchPage(query('apple', { order })));
      const paged: string[] = [];
      let after: SearchPageQuery['after'];
      for (let i = 0; i < 10; i++) {
        const page = await storage.searchPage(query('apple', { order, after, limit: 2 }));
        paged.push(...ids(page));
        const last = page.at(-1);
        if (page.length < 2 || !last) break;
        // The cursor goes through JSON, as a next_batch token carries it.
        after = JSON.parse(JSON.stringify({ rank: last.rank, position: last.event.position })) as SearchPageQuery['after'];
      }
      assert.deepEqual(paged, whole, order);
      assert.equal(paged.length, 6);
    }
    // Equal ranks: ordered by position, newest first, and the cursor splits them exactly.
    const kiwis = ['$kiwi5', '$kiwi4', '$kiwi3', '$kiwi2', '$kiwi1'];
    const first = await storage.searchPage(query('kiwi', { limit: 2 }));
    assert.deepEqual(ids(first), kiwis.slice(0, 2));
    assert.equal(first[0]!.rank, first[1]!.rank);
    const last = first[1]!;
    const rest = await storage.searchPage(query('kiwi', { limit: 10, after: { rank: last.rank, position: last.event.position } }));
    assert.deepEqual(ids(rest), kiwis.slice(2));
  });

  it('a rank cursor still cuts in the right place after the index changed under it', async () => {
    const snapshot = await storage.latestPosition();
    const bounded = (over: Partial<SearchPageQuery>) => query('plum', { rooms: [{ roomId: R2, upTo: snapshot }], ...over });
    assert.deepEqual(await storage.searchPage(bounded({})), []);
    const plums: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = `$plum${i}`;
      plums.push(id);
      pos.set(id, await write(storage, message(R2, id, `plum ${'plum '.repeat(i)}and some other words ${i}`)));
    }
    const upTo = pos.get('$plum5')!;
    const q = (over: Partial<SearchPageQuery>) => query('plum', { rooms: [{ roomId: R2, upTo }], ...over });
    const first = await storage.searchPage(q({ limit: 2 }));
    assert.deepEqual(ids(first), ['$plum5', '$plum4']);
    // New plums (beyond the bound) change the scale of every rank bm25 gives.
    for (let i = 0; i < 20; i++) await write(storage, message(R2, `$lateplum${i}`, 'plum'));
    const last = first[1]!;
    const rest = await storage.searchPage(q({ after: { rank: last.rank, position: last.event.position }, limit: 10 }));
    assert.deepEqual(ids(rest), ['$plum3', '$plum2', '$plum1', '$plum0']);
  });

  it('counts the matches', async () => {
    assert.equal(await storage.countSearchMatches(query('apple')), 6);
    assert.equal(await storage.countSearchMatches(query('apple', { rooms: [{ roomId: R2, upTo: END }] })), 2);
    assert.equal(await storage.countSearchMatches(query('nothing')), 1);
  });

  it('a redaction removes the hit; a redelivered event is not indexed twice', async () => {
    const e = message(R2, '$redactme', 'ephemeral banana');
    const p = await write(storage, e);
    assert.deepEqual(ids(await storage.searchPage(query('banana'))), ['$redactme']);
    assert.equal(await storage.writeRoomEvent({ event: e, adds: [], removes: [], searchText: 'ephemeral banana' }), undefined);
    assert.equal(await storage.countSearchMatches(query('banana')), 1);
    assert.equal(await storage.redactEvent('$redactme', JSON.stringify({ event_id: '$redactme', room_id: R2, type: 'm.room.message', sender: ALICE, content: {} })), true);
    assert.deepEqual(await storage.searchPage(query('banana')), []);
    assert.equal(await storage.countSearchMatches(query('banana')), 0);
    // Its row is gone, not merely hidden by the event's redacted flag.
    const rows = await typedDb<SyncapiTables>(database).selectFrom('syncapi_search').select('text').where('position', '=', p).execute();
    assert.deepEqual(rows, []);
  });
});

describeEachBackend('syncapi search migration', (ctx) => {
  let database: Database;
  before(async () => {
    database = await ctx.open();
  });

  it('indexes the events stored before it, except redacted ones', async () => {
    const version = SYNCAPI_MIGRATIONS.find((m) => m.name === 'full-text search index')!.version;
    await runMigrations(database, 'syncapi', SYNCAPI_MIGRATIONS.filter((m) => m.version < version));
    const old = createSyncStorage(database);
    // Events written as before the index existed: no search text.
    for (const e of [message(R1, '$m1', 'old news'), event(R1, '$n1', 'm.room.name', { name: 'Old room' }), message(R1, '$gone', 'old secret'), message(R1, '$m2', 'new news')]) {
      await old.writeRoomEvent({ event: e, adds: [], removes: [] });
    }
    await typedDb<SyncapiTables>(database)
      .updateTable('syncapi_output_room_events')
      .set({ redacted: 1, json: JSON.stringify({ event_id: '$gone', room_id: R1, type: 'm.room.message', sender: ALICE, content: {} }) })
      .where('event_id', '=', '$gone')
      .execute();

    const storage = await openSyncStorage(database);
    const q = (term: string): SearchPageQuery => ({
      tokens: queryTokens(term),
      rooms: [{ roomId: R1, upTo: END }],
      types: ALL_TYPES,
      senders: undefined,
      notSenders: [],
      order: 'recent',
      after: undefined,
      limit: 10,
    });
    assert.deepEqual((await storage.searchPage(q('old'))).map((h) => h.event.eventId), ['$n1', '$m1']);
    assert.deepEqual((await storage.searchPage(q('news'))).map((h) => h.event.eventId), ['$m2', '$m1']);
    assert.deepEqual(await storage.searchPage(q('secret')), []);
    // New events are indexed as they are written.
    await write(storage, message(R1, '$m3', 'more news'));
    assert.deepEqual((await storage.searchPage(q('news'))).map((h) => h.event.eventId), ['$m3', '$m2', '$m1']);
  });
});
