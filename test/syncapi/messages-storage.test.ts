/**
 * The syncapi's reads in topological order (`/messages`, `/context`) on SQLite and PostgreSQL:
 * pages by (depth, position) in both directions with inclusive lower and exclusive upper bounds,
 * events of equal depth and a late low-depth event (as backfill makes) in their exact places,
 * paging in small pages with every event once, the last event up to a stream position, members
 * at a position, and one current state entry.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { openSyncStorage, type NewSyncEvent, type SyncStorage, type TopologicalPoint } from '../../src/syncapi/storage/index.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';
import { DEFAULT_SENDER, newSyncEvent } from './sync-storage-kit.js';

const ROOM = '!room:hs.test';
const OTHER = '!other:hs.test';
const ALICE = DEFAULT_SENDER;
const BOB = '@bob:hs.test';
const END: TopologicalPoint = { depth: Number.MAX_SAFE_INTEGER, position: Number.MAX_SAFE_INTEGER };
const START: TopologicalPoint = { depth: 0, position: 0 };

describeEachBackend('syncapi storage: topological order', (ctx) => suite(ctx));

function suite(ctx: BackendContext): void {
  let storage: SyncStorage;
  /** Event ID → stream position. */
  const pos = new Map<string, number>();
  const write = async (e: NewSyncEvent, state = false) => {
    const entry = { type: e.type, stateKey: e.stateKey ?? '', eventId: e.eventId, json: e.json, membership: e.membership };
    const p = await storage.writeRoomEvent({ event: e, adds: state ? [entry] : [], removes: [] });
    pos.set(e.eventId, p!);
  };
  const ids = (events: ReadonlyArray<{ eventId: string }>) => events.map((e) => e.eventId);

  before(async () => {
    storage = await openSyncStorage(await ctx.open());
    // Stream order: create(d1) A(d2) B(d3) C(d3, a fork of B) x(other room) D(d4) E(d4) L(d2: late, low depth) bobJoin(d5) F(d6)
    await write(newSyncEvent(ROOM, '$create', 1, { type: 'm.room.create', stateKey: '' }), true);
    await write(newSyncEvent(ROOM, '$A', 2));
    await write(newSyncEvent(ROOM, '$B', 3));
    await write(newSyncEvent(ROOM, '$C', 3));
    await write(newSyncEvent(OTHER, '$x', 3));
    await write(newSyncEvent(ROOM, '$D', 4));
    await write(newSyncEvent(ROOM, '$E', 4));
    await write(newSyncEvent(ROOM, '$L', 2));
    await write(newSyncEvent(ROOM, '$bobJoin', 5, { type: 'm.room.member', stateKey: BOB, sender: BOB, membership: 'join' }), true);
    await write(newSyncEvent(ROOM, '$F', 6, { sender: BOB }));
  });

  const TOPOLOGICAL = ['$create', '$A', '$L', '$B', '$C', '$D', '$E', '$bobJoin', '$F'];

  it('a whole room in (depth, position) order, both directions, other rooms left out', async () => {
    const fwd = await storage.topologicalPage({ roomId: ROOM, from: START, to: END, backwards: false, limit: 100 });
    assert.deepEqual(ids(fwd), TOPOLOGICAL);
    const back = await storage.topologicalPage({ roomId: ROOM, from: START, to: END, backwards: true, limit: 100 });
    assert.deepEqual(ids(back), [...TOPOLOGICAL].reverse());
    assert.deepEqual(
      fwd.map((e) => [e.depth, e.position]),
      TOPOLOGICAL.map((id, i) => [[1, 2, 2, 3, 3, 4, 4, 5, 6][i], pos.get(id)]),
    );
    assert.equal(fwd[0]!.type, 'm.room.create');
    assert.equal(fwd[0]!.stateKey, '');
  });

  it('bounds: the lower one inclusive, the upper one exclusive, ties at equal depth by position', async () => {
    const at = (id: string): TopologicalPoint => ({ depth: id === '$B' || id === '$C' ? 3 : 4, position: pos.get(id)! });
    // [C, E): C and D.
    const fwd = await storage.topologicalPage({ roomId: ROOM, from: at('$C'), to: at('$E'), backwards: false, limit: 10 });
    assert.deepEqual(ids(fwd), ['$C', '$D']);
    const back = await storage.topologicalPage({ roomId: ROOM, from: at('$C'), to: at('$E'), backwards: true, limit: 10 });
    assert.deepEqual(ids(back), ['$D', '$C']);
    // Just after C (its position + 1): D onwards.
    const afterC = await storage.topologicalPage({ roomId: ROOM, from: { depth: 3, position: pos.get('$C')! + 1 }, to: END, backwards: false, limit: 2 });
    assert.deepEqual(ids(afterC), ['$D', '$E']);
    assert.deepEqual(await storage.topologicalPage({ roomId: ROOM, from: at('$C'), to: at('$C'), backwards: false, limit: 10 }), []);
    assert.deepEqual(await storage.topologicalPage({ roomId: ROOM, from: START, to: END, backwards: false, limit: 0 }), []);
  });

  it('paging with pages of 2 returns every event once, in order, each way', async () => {
    const back: string[] = [];
    let upper = END;
    for (let i = 0; i < 10; i++) {
      const page = await storage.topologicalPage({ roomId: ROOM, from: START, to: upper, backwards: true, limit: 2 });
      back.push(...ids(page));
      if (page.length < 2) break;
      const last = page.at(-1)!;
      upper = { depth: last.depth, position: last.position };
    }
    assert.deepEqual(back, [...TOPOLOGICAL].reverse());
    const fwd: string[] = [];
    let lower = START;
    for (let i = 0; i < 10; i++) {
      const page = await storage.topologicalPage({ roomId: ROOM, from: lower, to: END, backwards: false, limit: 2 });
      fwd.push(...ids(page));
      if (page.length < 2) break;
      const last = page.at(-1)!;
      lower = { depth: last.depth, position: last.position + 1 };
    }
    assert.deepEqual(fwd, TOPOLOGICAL);
  });

  it('the topologically last event up to a stream position', async () => {
    assert.equal(await storage.lastEventUpTo(ROOM, 0), undefined);
    assert.deepEqual(await storage.lastEventUpTo(ROOM, pos.get('$C')!), { depth: 3, position: pos.get('$C')! });
    // x is in the other room: C is still the last of this one.
    assert.deepEqual(await storage.lastEventUpTo(ROOM, pos.get('$x')!), { depth: 3, position: pos.get('$C')! });
    // L came later but lower: E stays last.
    assert.deepEqual(await storage.lastEventUpTo(ROOM, pos.get('$L')!), { depth: 4, position: pos.get('$E')! });
    assert.deepEqual(await storage.lastEventUpTo(ROOM, Number.MAX_SAFE_INTEGER), { depth: 6, position: pos.get('$F')! });
    assert.equal(await storage.lastEventUpTo('!nowhere:hs.test', 100), undefined);
  });

  it('member events at a position and a current state entry', async () => {
    const before = await storage.memberEventsAt(ROOM, [BOB, ALICE], pos.get('$L')!);
    assert.equal(before.size, 0);
    const after = await storage.memberEventsAt(ROOM, [BOB, ALICE, BOB], pos.get('$F')!);
    assert.deepEqual([...after.keys()], [BOB]);
    assert.equal(after.get(BOB)!.eventId, '$bobJoin');
    assert.equal(after.get(BOB)!.membership, 'join');
    assert.deepEqual(await storage.memberEventsAt(OTHER, [BOB], Number.MAX_SAFE_INTEGER), new Map());
    const entry = await storage.stateEntry(ROOM, 'm.room.member', BOB);
    assert.deepEqual(entry && { eventId: entry.eventId, membership: entry.membership, addedAt: entry.addedAt }, { eventId: '$bobJoin', membership: 'join', addedAt: pos.get('$bobJoin') });
    assert.equal((await storage.stateEntry(ROOM, 'm.room.create', ''))!.eventId, '$create');
    assert.equal(await storage.stateEntry(ROOM, 'm.room.member', ALICE), undefined);
    assert.equal(await storage.stateEntry(OTHER, 'm.room.create', ''), undefined);
  });
}
