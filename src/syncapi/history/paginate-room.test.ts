import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../internal/sqlutil/database.js';
import { openDatabase } from '../../internal/sqlutil/open-database.js';
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import { parseRoomEventFilter } from '../filter/index.js';
import { openSyncStorage, type SyncStorage } from '../storage/index.js';
import type { HistoryAccess } from './history-access.js';
import { paginateRoom, type Page, type PageRequest } from './paginate-room.js';
import { encodePoint, pointAfter, resolveToken, ROOM_END, ROOM_START } from './topological-point.js';

const ROOM = '!r:hs.test';
const ALICE = '@alice:hs.test';
const BOB = '@bob:hs.test';

describe('paginateRoom (SQLite in memory)', () => {
  let database: Database;
  let storage: SyncStorage;
  /** Events the stand-in roomserver hides; the IDs it was asked about, per call. */
  const hidden = new Set<string>();
  const asked: string[][] = [];
  const roomserver = {
    async queryEventVisibility(req: { eventIds: readonly string[] }) {
      asked.push([...req.eventIds]);
      return { events: req.eventIds.map((eventId) => ({ eventId, visible: !hidden.has(eventId) })) };
    },
  } as unknown as SyncRoomserverAPI;
  const ids: string[] = [];
  const positions: number[] = [];

  before(async () => {
    database = await openDatabase('sqlite::memory:');
    storage = await openSyncStorage(database);
    // 1,200 events at depths 1…1200: e0…e1199; bob sends every tenth, the first 1,100 are hidden.
    for (let i = 0; i < 1200; i++) {
      const eventId = `$e${i}`;
      const sender = i % 10 === 0 ? BOB : ALICE;
      const json = JSON.stringify({ event_id: eventId, room_id: ROOM, type: 'm.room.message', sender, content: {}, origin_server_ts: 0 });
      const p = await storage.writeRoomEvent({
        event: { roomId: ROOM, eventId, type: 'm.room.message', sender, stateKey: null, membership: null, depth: i + 1, originServerTs: 0, json, strippedState: null, addsState: [], removesState: [], txnDeviceId: null, txnId: null },
        adds: [],
        removes: [],
      });
      ids.push(eventId);
      positions.push(p!);
      if (i < 1100) hidden.add(eventId);
    }
  });
  after(() => database.close());

  const everything = parseRoomEventFilter({});
  const joinedFrom = (i: number): HistoryAccess => ({ roomId: ROOM, userId: ALICE, joinedAt: { depth: i + 1, position: positions[i]! }, readableBefore: ROOM_END });
  const page = (req: Partial<PageRequest> & Pick<PageRequest, 'access'>): Promise<Page> =>
    paginateRoom({ storage, roomserver }, { from: ROOM_END, to: ROOM_START, backwards: true, limit: 10, filter: everything, ...req });
  const got = (p: Page) => p.events.map((e) => e.eventId);

  it('asks the roomserver only about events before the join, in one call per read', async () => {
    asked.length = 0;
    const p = await page({ access: joinedFrom(1195), limit: 8 });
    assert.deepEqual(got(p), ids.slice(1192).reverse());
    assert.deepEqual(asked, [ids.slice(1192, 1195).reverse()]);
    assert.equal(p.exhausted, false);
    assert.equal(encodePoint(p.next), `t1193_${positions[1192]}`);
  });

  it('skips filtered-out events, counts only kept ones, and moves past what it read', async () => {
    const bobOnly = parseRoomEventFilter({ senders: [BOB] });
    const p = await page({ access: joinedFrom(0), limit: 3, filter: bobOnly });
    assert.deepEqual(got(p), ['$e1190', '$e1180', '$e1170']);
    assert.deepEqual(p.next, { depth: 1171, position: positions[1170] });
    const next = await page({ access: joinedFrom(0), from: p.next, limit: 3, filter: bobOnly });
    assert.deepEqual(got(next), ['$e1160', '$e1150', '$e1140']);
  });

  it('stops after its scan budget with an empty page and a next point, then carries on to the end', async () => {
    const stranger: HistoryAccess = { roomId: ROOM, userId: ALICE, joinedAt: undefined, readableBefore: ROOM_END };
    // Forwards from the start: 1,100 hidden events, then 100 visible ones.
    const first = await page({ access: stranger, from: ROOM_START, to: ROOM_END, backwards: false, limit: 5 });
    assert.deepEqual(got(first), []);
    assert.equal(first.exhausted, false);
    assert.deepEqual(first.next, pointAfter({ depth: 1005, position: positions[1004]! }), 'limit + 1000 rows read');
    const second = await page({ access: stranger, from: first.next, to: ROOM_END, backwards: false, limit: 5 });
    assert.deepEqual(got(second), ids.slice(1100, 1105));
    const tail = await page({ access: stranger, from: { depth: 1197, position: positions[1196]! }, to: ROOM_END, backwards: false, limit: 5 });
    assert.deepEqual(got(tail), ids.slice(1196));
    assert.equal(tail.exhausted, true);
  });

  it('never reads at or after the point the access ends at, whatever the bounds', async () => {
    const left: HistoryAccess = { roomId: ROOM, userId: ALICE, joinedAt: undefined, readableBefore: pointAfter({ depth: 1150, position: positions[1149]! }) };
    const back = await page({ access: left, limit: 3 });
    assert.deepEqual(got(back), ['$e1149', '$e1148', '$e1147']);
    const fwd = await page({ access: left, from: { depth: 1148, position: positions[1147]! }, to: ROOM_END, backwards: false, limit: 10 });
    assert.deepEqual(got(fwd), ['$e1147', '$e1148', '$e1149']);
    assert.equal(fwd.exhausted, true);
    const beyond = await page({ access: left, from: { depth: 1160, position: positions[1159]! }, to: ROOM_END, backwards: false, limit: 10 });
    assert.deepEqual([got(beyond), beyond.exhausted], [[], true]);
  });

  it('resolves sync tokens to the point after the last event stored by then, t tokens as they are', async () => {
    assert.deepEqual(await resolveToken(storage, ROOM, `s${positions[9]}_0_0`), pointAfter({ depth: 10, position: positions[9]! }));
    assert.deepEqual(await resolveToken(storage, ROOM, 's0'), ROOM_START);
    assert.deepEqual(await resolveToken(storage, ROOM, 't5_17'), { depth: 5, position: 17 });
    assert.deepEqual(await resolveToken(storage, '!empty:hs.test', 's99'), ROOM_START);
  });
});
