/**
 * The syncapi's relations tables on SQLite and PostgreSQL, written through its roomserver
 * consumer: which events are recorded (and which not), redelivery, redaction breaking a
 * relationship (a thread's count and latest reply step back, a thread with no reply left is gone),
 * the summaries bundled aggregations read (thread counts and latest replies, participation, the
 * spec's validity rules of edits and the latest edit, references, children in another room),
 * pages of `/relations` (by type, both directions, bounds, recursion) and of `/threads` (latest
 * activity first, participation, bounds), and the migration filling the tables from events stored
 * before it.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { typedDb, type Database } from '../../src/internal/sqlutil/database.js';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import type { JsonObject } from '../../src/matrix/json.js';
import type { SyncRoomserverAPI } from '../../src/roomserver/api.js';
import type { OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { handleRoomserverOutput } from '../../src/syncapi/consumers/roomserver.js';
import { createNotifier } from '../../src/syncapi/notifier.js';
import { bundleAggregations } from '../../src/syncapi/relations/bundle-aggregations.js';
import { createSyncStorage, openSyncStorage, type RelationsPageQuery, type SyncStorage } from '../../src/syncapi/storage/index.js';
import { SYNCAPI_MIGRATIONS } from '../../src/syncapi/storage/syncapi-migrations.js';
import type { SyncapiTables } from '../../src/syncapi/storage/syncapi-tables.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

const ALICE = '@alice:hs.test';
const BOB = '@bob:hs.test';
const CAROL = '@carol:hs.test';
const R = '!rel:hs.test';
const OTHER = '!other:hs.test';

/** The roomserver is only asked about state; these rooms' events are messages after a create. */
const roomserver = {
  queryEvents: async () => ({ events: [] }),
  queryState: async () => ({ found: true, events: [] }),
  queryEventVisibility: async (req: { eventIds: readonly string[] }) => ({ events: req.eventIds.map((eventId) => ({ eventId, visible: true })) }),
} as unknown as SyncRoomserverAPI;

let depth = 0;
let ts = 1_700_000_000_000;
interface EvOpts {
  readonly type?: string;
  readonly stateKey?: string;
  readonly depth?: number;
  readonly ts?: number;
}
function newEvent(roomId: string, eventId: string, sender: string, content: JsonObject, o: EvOpts = {}): OutputRoomEventMessage {
  const event: JsonObject = {
    room_id: roomId,
    type: o.type ?? 'm.room.message',
    sender,
    content,
    depth: o.depth ?? ++depth,
    origin_server_ts: o.ts ?? ++ts,
    ...(o.stateKey !== undefined ? { state_key: o.stateKey } : {}),
  };
  const adds = o.stateKey !== undefined ? [eventId] : [];
  return { type: 'new_room_event', roomId, roomVersion: '11', eventId, event, addsStateEventIds: adds, removesStateEventIds: [], latestEventIds: [eventId], streamPosition: 0, transaction: null };
}
const rel = (relType: string, parent: string, extra: JsonObject = {}): JsonObject => ({ body: 'x', ...extra, 'm.relates_to': { rel_type: relType, event_id: parent } });
const edit = (parent: string, body: string): JsonObject => ({ body: `* ${body}`, 'm.new_content': { body }, 'm.relates_to': { rel_type: 'm.replace', event_id: parent } });

describeEachBackend('syncapi relations storage', (ctx) => suite(ctx));

function suite(ctx: BackendContext): void {
  let storage: SyncStorage;
  const apply = (m: OutputRoomEventMessage) => handleRoomserverOutput({ storage, roomserver, notifier: createNotifier(() => true) }, m);
  const send = (roomId: string, eventId: string, sender: string, content: JsonObject, o: EvOpts = {}) => apply(newEvent(roomId, eventId, sender, content, o));
  const redact = async (eventId: string) => {
    const [e] = await storage.eventsByIds([eventId]);
    const ev = JSON.parse(e!.json) as JsonObject;
    await apply({ type: 'redacted_event', roomId: e!.roomId, redactedEventId: eventId, redactedBy: '$none', redactedEvent: { ...ev, content: {} } });
  };
  const summaries = async (ids: string[], userId = ALICE, ignored: string[] = []) => {
    const events = await storage.eventsByIds(ids);
    return storage.relationSummaries(events.map((e) => ({ eventId: e.eventId, roomId: e.roomId })), userId, ignored);
  };
  const page = async (q: Partial<RelationsPageQuery> & { parentId: string }) =>
    (await storage.relationsPage({ roomId: R, dir: 'b', limit: 50, maxDepth: 1, ...q })).map((e) => e.eventId);

  before(async () => {
    depth = 0;
    storage = await openSyncStorage(await ctx.open());
    await send(R, '$create', ALICE, { room_version: '11' }, { type: 'm.room.create', stateKey: '' });
    await send(OTHER, '$ocreate', ALICE, { room_version: '11' }, { type: 'm.room.create', stateKey: '' });
  });

  it('summarises a thread: count, latest reply by depth, participation; other rooms and ignored users left out', async () => {
    await send(R, '$root', ALICE, { body: 'root' });
    await send(R, '$t1', BOB, rel('m.thread', '$root'));
    await send(R, '$t2', CAROL, rel('m.thread', '$root'));
    // Arrives later with a lower depth (a fork): the latest by topology stays $t2.
    await send(R, '$t0', BOB, rel('m.thread', '$root'), { depth: 2 });
    await send(OTHER, '$elsewhere', BOB, rel('m.thread', '$root'));
    await send(R, '$t1', BOB, rel('m.thread', '$root'));
    const s = await summaries(['$root', '$t1', '$create']);
    assert.deepEqual([...s.keys()], ['$root']);
    const t = s.get('$root')!.thread!;
    assert.deepEqual([t.count, t.userReplied, t.latest.eventId], [3, false, '$t2']);
    assert.equal((await summaries(['$root'], BOB)).get('$root')!.thread!.userReplied, true);
    const ignoring = (await summaries(['$root'], ALICE, [CAROL])).get('$root')!.thread!;
    assert.deepEqual([ignoring.count, ignoring.latest.eventId], [2, '$t1']);
  });

  it('a redacted reply leaves the thread; the thread goes with its last reply', async () => {
    await send(R, '$root2', BOB, { body: 'root2' });
    await send(R, '$u1', ALICE, rel('m.thread', '$root2'));
    await send(R, '$u2', BOB, rel('m.thread', '$root2'));
    await redact('$u2');
    const t = (await summaries(['$root2'])).get('$root2')!.thread!;
    assert.deepEqual([t.count, t.latest.eventId, t.userReplied], [1, '$u1', true]);
    const threads = await storage.threadsPage({ roomId: R, limit: 10 });
    assert.deepEqual(threads.map((x) => x.root.eventId), ['$root2', '$root']);
    await redact('$u1');
    assert.equal((await summaries(['$root2'])).size, 0);
    assert.deepEqual((await storage.threadsPage({ roomId: R, limit: 10 })).map((x) => x.root.eventId), ['$root']);
    assert.deepEqual(await page({ parentId: '$root2' }), []);
  });

  it('bundles the latest valid edit only: same sender and type, not of a redacted original or of an edit', async () => {
    await send(R, '$msg', ALICE, { body: 'hello' });
    await send(R, '$e1', ALICE, edit('$msg', 'one'), { ts: 5_000 });
    await send(R, '$e3', ALICE, edit('$msg', 'three'), { ts: 6_000 });
    // Same timestamp as $e3: the larger event ID wins, whatever the arrival order.
    await send(R, '$e2', ALICE, edit('$msg', 'two'), { ts: 6_000 });
    await send(R, '$byBob', BOB, edit('$msg', 'bob'), { ts: 9_000 });
    await send(R, '$asNotice', ALICE, edit('$msg', 'notice'), { ts: 9_000, type: 'm.sticker' });
    await send(R, '$noNew', ALICE, rel('m.replace', '$msg'), { ts: 9_000 });
    await send(R, '$editOfEdit', ALICE, edit('$e3', 'x'), { ts: 9_500 });
    const s = await summaries(['$msg', '$e3']);
    assert.equal(s.get('$msg')!.edit!.eventId, '$e3');
    assert.equal(s.has('$e3'), false, 'an edit of an edit is not bundled');
    assert.deepEqual(await page({ parentId: '$msg', relType: 'm.replace', dir: 'f' }), ['$e1', '$e3', '$e2', '$byBob', '$asNotice']);
    await redact('$e3');
    assert.equal((await summaries(['$msg'])).get('$msg')!.edit!.eventId, '$e2');
    await send(R, '$state', ALICE, { body: 's' }, { type: 'm.room.topic', stateKey: '' });
    await send(R, '$stateEdit', ALICE, edit('$state', 'x'), { type: 'm.room.topic' });
    assert.equal((await summaries(['$state'])).has('$state'), false);
    await redact('$msg');
    assert.equal((await summaries(['$msg'])).has('$msg'), false, 'no edit of a redacted original');
  });

  it('lists references in topological order; annotations are recorded but not summarised', async () => {
    await send(R, '$target', BOB, { body: 't' });
    await send(R, '$ref2', ALICE, rel('m.reference', '$target'), { depth: 1000 });
    await send(R, '$ref1', CAROL, rel('m.reference', '$target'), { depth: 999 });
    await send(R, '$react', CAROL, { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$target', key: '👍' } });
    const s = (await summaries(['$target'])).get('$target')!;
    assert.deepEqual(s, { references: ['$ref1', '$ref2'] });
    assert.deepEqual(await page({ parentId: '$target' }), ['$ref2', '$ref1', '$react']);
    assert.deepEqual(await page({ parentId: '$target', relType: 'm.annotation' }), ['$react']);
  });

  it('pages children by type and event type, both directions, between bounds', async () => {
    await send(R, '$p', ALICE, { body: 'p' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(`$c${i}`);
      await send(R, `$c${i}`, BOB, rel('org.example.rel', '$p'), i === 2 ? { type: 'org.example.other' } : {});
    }
    await send(R, '$cthread', BOB, rel('m.thread', '$p'));
    const [c1, c3] = await storage.eventsByIds(['$c1', '$c3']).then((es) => ['$c1', '$c3'].map((id) => es.find((e) => e.eventId === id)!));
    assert.deepEqual(await page({ parentId: '$p', relType: 'org.example.rel' }), ['$c4', '$c3', '$c2', '$c1', '$c0']);
    assert.deepEqual(await page({ parentId: '$p', relType: 'org.example.rel', eventType: 'm.room.message', dir: 'f' }), ['$c0', '$c1', '$c3', '$c4']);
    assert.deepEqual(await page({ parentId: '$p', limit: 2 }), ['$cthread', '$c4']);
    // Backwards from just before $c3 down to just before $c1: $c2 and $c1.
    const at = (e: { depth: number; position: number }) => ({ depth: e.depth, position: e.position });
    assert.deepEqual(await page({ parentId: '$p', from: at(c3!), to: at(c1!) }), ['$c2', '$c1']);
    assert.deepEqual(await page({ parentId: '$p', dir: 'f', from: at(c1!), to: at(c3!) }), ['$c1', '$c2']);
    assert.deepEqual(await page({ parentId: '$p', roomId: OTHER }), []);
  });

  it('recurses through matching children only, up to the depth asked', async () => {
    await send(R, '$a', ALICE, { body: 'a' });
    await send(R, '$b', ALICE, rel('m.reference', '$a'));
    await send(R, '$c', ALICE, rel('m.reference', '$b'));
    await send(R, '$d', ALICE, rel('m.reference', '$c'));
    await send(R, '$e', ALICE, rel('m.reference', '$d'));
    await send(R, '$viaThread', ALICE, rel('m.thread', '$a'));
    await send(R, '$underThread', ALICE, rel('m.reference', '$viaThread'));
    assert.deepEqual(await page({ parentId: '$a' }), ['$viaThread', '$b']);
    assert.deepEqual(await page({ parentId: '$a', maxDepth: 3 }), ['$underThread', '$viaThread', '$d', '$c', '$b']);
    assert.deepEqual(await page({ parentId: '$a', maxDepth: 3, relType: 'm.reference' }), ['$d', '$c', '$b']);
    assert.deepEqual(await page({ parentId: '$a', maxDepth: 3, relType: 'm.reference', dir: 'f', limit: 2 }), ['$b', '$c']);
  });

  it('lists threads by latest reply, by participation, below a bound', async () => {
    const room = '!threads:hs.test';
    await send(room, '$tc', ALICE, { room_version: '11' }, { type: 'm.room.create', stateKey: '' });
    await send(room, '$A', ALICE, { body: 'A' });
    await send(room, '$B', BOB, { body: 'B' });
    await send(room, '$C', CAROL, { body: 'C' });
    await send(room, '$ra', CAROL, rel('m.thread', '$A'));
    await send(room, '$rc', CAROL, rel('m.thread', '$C'));
    await send(room, '$rb', CAROL, rel('m.thread', '$B'));
    await send(room, '$rc2', BOB, rel('m.thread', '$C'));
    await send(room, '$orphan', BOB, rel('m.thread', '$unknownRoot'));
    const list = async (participant?: string, before?: { depth: number; position: number }) =>
      (await storage.threadsPage({ roomId: room, participant, before, limit: 10 })).map((t) => t.root.eventId);
    assert.deepEqual(await list(), ['$C', '$B', '$A']);
    assert.deepEqual(await list(ALICE), ['$A']);
    assert.deepEqual(await list(BOB), ['$C', '$B']);
    assert.deepEqual(await list(CAROL), ['$C', '$B', '$A']);
    const [first] = await storage.threadsPage({ roomId: room, limit: 1 });
    assert.equal(first!.root.eventId, '$C');
    const [rc2] = await storage.eventsByIds(['$rc2']);
    assert.deepEqual([first!.latestDepth, first!.latestPosition], [rc2!.depth, rc2!.position]);
    assert.deepEqual(await list(undefined, { depth: first!.latestDepth, position: first!.latestPosition }), ['$B', '$A']);
  });

  it('bundles a batch in a fixed number of reads: thread with its latest reply edited, edits, references', async () => {
    const room = '!bundle:hs.test';
    await send(room, '$bc', ALICE, { room_version: '11' }, { type: 'm.room.create', stateKey: '' });
    await send(room, '$broot', ALICE, { body: 'root' });
    await send(room, '$breply', BOB, rel('m.thread', '$broot'));
    await send(room, '$breplyEdit', BOB, edit('$breply', 'better'));
    await send(room, '$bplain', CAROL, { body: 'plain' });
    const events = await storage.eventsByIds(['$broot', '$bplain', '$bc']);
    let reads = 0;
    const counting = {
      relationSummaries: (...a: Parameters<SyncStorage['relationSummaries']>) => {
        reads++;
        return storage.relationSummaries(...a);
      },
    };
    const bundles = await bundleAggregations(counting, events, CAROL);
    assert.equal(reads, 2, 'the batch, then the latest replies');
    assert.deepEqual([...bundles.keys()], ['$broot']);
    const thread = bundles.get('$broot')!['m.thread'] as JsonObject;
    assert.equal(thread.count, 1);
    assert.equal(thread.current_user_participated, false);
    const latest = thread.latest_event as JsonObject;
    assert.equal(latest.event_id, '$breply');
    assert.equal((((latest.unsigned as JsonObject)['m.relations'] as JsonObject)['m.replace'] as JsonObject).event_id, '$breplyEdit');
    const asRoot = await bundleAggregations(storage, events, ALICE);
    assert.equal((asRoot.get('$broot')!['m.thread'] as JsonObject).current_user_participated, true, 'the root sender participates');
    reads = 0;
    assert.equal((await bundleAggregations(counting, await storage.eventsByIds(['$bplain', '$bc']), ALICE)).size, 0);
    assert.equal(reads, 1, 'no children: one read');
  });
}

describeEachBackend('syncapi relations migration', (ctx) => {
  let database: Database;
  before(async () => {
    database = await ctx.open();
  });

  it('fills the relations and threads from events stored before it', async () => {
    const version = SYNCAPI_MIGRATIONS.find((m) => m.name === 'relations and threads')!.version;
    await runMigrations(database, 'syncapi', SYNCAPI_MIGRATIONS.filter((m) => m.version < version));
    const old = createSyncStorage(database);
    const write = async (m: OutputRoomEventMessage) => {
      const ev = (m as Extract<OutputRoomEventMessage, { type: 'new_room_event' }>).event;
      const id = (m as { eventId: string }).eventId;
      await old.writeRoomEvent({
        event: {
          roomId: R,
          eventId: id,
          type: String(ev.type),
          sender: String(ev.sender),
          stateKey: null,
          membership: null,
          depth: Number(ev.depth),
          originServerTs: Number(ev.origin_server_ts),
          json: JSON.stringify({ event_id: id, room_id: R, type: ev.type, sender: ev.sender, content: ev.content, origin_server_ts: ev.origin_server_ts }),
          strippedState: null,
          addsState: [],
          removesState: [],
          txnDeviceId: null,
          txnId: null,
        },
        adds: [],
        removes: [],
      });
    };
    await write(newEvent(R, '$mroot', ALICE, { body: 'root' }));
    await write(newEvent(R, '$mr2', BOB, rel('m.thread', '$mroot'), { depth: 50 }));
    await write(newEvent(R, '$mr1', BOB, rel('m.thread', '$mroot'), { depth: 40 }));
    await write(newEvent(R, '$mref', BOB, rel('m.reference', '$mroot')));
    await write(newEvent(R, '$mreply', BOB, { body: 'r', 'm.relates_to': { 'm.in_reply_to': { event_id: '$mroot' } } }));
    await write(newEvent(R, '$mredacted', BOB, rel('m.thread', '$mroot'), { depth: 60 }));
    // As `redactEvent` left it before this migration (it now deletes the relation too).
    await typedDb<SyncapiTables>(database)
      .updateTable('syncapi_output_room_events')
      .set({ redacted: 1, json: JSON.stringify({ event_id: '$mredacted', room_id: R, type: 'm.room.message', sender: BOB, content: {}, origin_server_ts: 1 }) })
      .where('event_id', '=', '$mredacted')
      .execute();

    const storage = await openSyncStorage(database);
    const [root] = await storage.eventsByIds(['$mroot']);
    const s = (await storage.relationSummaries([{ eventId: '$mroot', roomId: R }], BOB, [])).get('$mroot')!;
    assert.deepEqual([s.thread!.count, s.thread!.userReplied, s.thread!.latest.eventId, s.references], [2, true, '$mr2', ['$mref']]);
    const threads = await storage.threadsPage({ roomId: R, limit: 5 });
    assert.deepEqual(threads.map((t) => [t.root.eventId, t.latestDepth]), [['$mroot', 50]]);
    assert.equal(root!.eventId, '$mroot');
  });
});
