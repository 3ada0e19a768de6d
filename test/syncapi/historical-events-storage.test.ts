/**
 * Old events (backfill) in the syncapi's storage, on SQLite and PostgreSQL: stored below every
 * sync position, counting down, so no sync range returns them (initial or incremental) and the
 * latest position does not move; `/messages`' topological pages find them in place below the
 * events the room already had; the current state is untouched; a second write of the same event
 * changes nothing.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { parsePaginationToken, encodeTopologicalToken } from '../../src/syncapi/sync/pagination-token.js';
import { openSyncStorage, type NewSyncEvent, type SyncStorage, type TopologicalPoint } from '../../src/syncapi/storage/index.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';
import { newSyncEvent } from './sync-storage-kit.js';

const ROOM = '!late:hs.test';
const END: TopologicalPoint = { depth: Number.MAX_SAFE_INTEGER, position: Number.MAX_SAFE_INTEGER };
const START: TopologicalPoint = { depth: 0, position: 0 };
const BOB = '@bob:hs.test';

describeEachBackend('syncapi storage: backfilled (historical) events', (ctx) => {
  let storage: SyncStorage;
  let joinPosition: number;
  const ids = (events: ReadonlyArray<{ eventId: string }>) => events.map((e) => e.eventId);

  before(async () => {
    storage = await openSyncStorage(await ctx.open());
    // The room as a late joiner has it: the join (depth 40) read whole, then one new message.
    const join = newSyncEvent(ROOM, '$join', 40, { type: 'm.room.member', stateKey: BOB, sender: BOB, membership: 'join' });
    const entry = { type: join.type, stateKey: BOB, eventId: join.eventId, json: join.json, membership: 'join' };
    joinPosition = (await storage.writeRoomEvent({ event: { ...join, addsState: ['$join'] }, adds: [], removes: [], replaceState: [entry] }))!;
    await storage.writeRoomEvent({ event: newSyncEvent(ROOM, '$new', 41), adds: [], removes: [] });
  });

  it('stores old events at positions below zero, counting down, once each', async () => {
    const latest = await storage.latestPosition();
    const batch = (from: number, to: number): { event: NewSyncEvent }[] =>
      Array.from({ length: to - from + 1 }, (_, i) => ({ event: newSyncEvent(ROOM, `$old${to - i}`, to - i) }));
    // Newest old events first (as backfill goes), then older ones, then a repeat.
    assert.equal(await storage.writeHistoricalEvents(batch(30, 39)), 10);
    assert.equal(await storage.writeHistoricalEvents([{ event: newSyncEvent(ROOM, '$create', 1, { type: 'm.room.create', stateKey: '' }) }, ...batch(2, 29)]), 29);
    assert.equal(await storage.writeHistoricalEvents(batch(35, 39)), 0);
    const stored = await storage.eventsByIds(['$old39', '$old30', '$create', '$old29', '$old2']);
    const position = new Map(stored.map((e) => [e.eventId, e.position]));
    assert.deepEqual([position.get('$old39'), position.get('$old30'), position.get('$create'), position.get('$old29'), position.get('$old2')], [-1, -10, -11, -12, -39]);
    assert.equal(await storage.latestPosition(), latest);
  });

  it('no sync range returns them, and the current state is untouched', async () => {
    const latest = await storage.latestPosition();
    const recent = await storage.recentEvents([{ roomId: ROOM, after: 0, upTo: latest }], 100);
    assert.deepEqual(ids(recent.get(ROOM) ?? []), ['$join', '$new']);
    assert.deepEqual(await storage.activeRooms(joinPosition, latest), [ROOM]);
    assert.deepEqual(ids(await storage.stateChanges([{ roomId: ROOM, after: 0, upTo: latest }])), ['$join']);
    assert.deepEqual(ids(await storage.earliestEvents([{ roomId: ROOM, after: 0, upTo: latest }], 100)), ['$join', '$new']);
    const state = await storage.roomsState([ROOM]);
    assert.deepEqual(state.map((s) => s.eventId), ['$join']);
    assert.equal(await storage.hasRoomState(ROOM), true);
  });

  it('topological pages find them below what the room had, every event once', async () => {
    const expected = ['$create', ...Array.from({ length: 38 }, (_, i) => `$old${i + 2}`), '$join', '$new'];
    const all = await storage.topologicalPage({ roomId: ROOM, from: START, to: END, backwards: false, limit: 100 });
    assert.deepEqual(ids(all), expected);
    // Paging back in pages of 7 through tokens, as /messages does.
    const back: string[] = [];
    let upper = END;
    for (;;) {
      const page = await storage.topologicalPage({ roomId: ROOM, from: START, to: upper, backwards: true, limit: 7 });
      back.push(...ids(page));
      if (page.length < 7) break;
      const last = page.at(-1)!;
      const token = parsePaginationToken(encodeTopologicalToken(last.depth, last.position));
      assert.equal(token.kind, 'topological');
      upper = token.kind === 'topological' ? { depth: token.depth, position: token.position } : END;
    }
    assert.deepEqual(back, [...expected].reverse());
    // The last event up to a sync position is never an old one.
    const last = await storage.lastEventUpTo(ROOM, await storage.latestPosition());
    assert.equal(last?.depth, 41);
  });
});
