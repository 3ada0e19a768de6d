import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import type { MemberChange, RelationParent, RelationSummary, SyncEvent, SyncStorage, TopologicalPoint } from '../storage/index.js';
import { isRawJson, rawText } from '../sync/raw-json.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import type { HistoryAccess, HistoryDeps } from './history-access.js';
import { historyServing } from './history-serving.js';
import { ROOM_END } from './topological-point.js';

const ROOM = '!r:hs.test';
const ME = '@me:hs.test';
const NOW = 1_000_000;

function event(eventId: string, at: number, extra: Partial<SyncEvent> = {}): SyncEvent {
  const json = JSON.stringify({ event_id: eventId, room_id: ROOM, sender: '@a:hs.test', type: 'm.room.message', content: { body: eventId }, origin_server_ts: NOW - 10 });
  return { position: at, roomId: ROOM, eventId, type: 'm.room.message', sender: '@a:hs.test', stateKey: null, membership: null, depth: at, json, addsState: [], removesState: [], txnDeviceId: null, txnId: null, ...extra };
}

const asObject = (v: ResponseEvent): JsonObject => (isRawJson(v) ? (JSON.parse(rawText(v)) as JsonObject) : v);

interface Calls {
  changes: Array<[TopologicalPoint, TopologicalPoint]>;
  summaries: Array<{ parents: string[]; before: TopologicalPoint | undefined }>;
  visibility: string[][];
}

/** Deps answering from fixed data, recording what was asked. */
function fakeDeps(data: { changes?: MemberChange[]; summaries?: Map<string, RelationSummary>; hidden?: readonly string[] }): { deps: HistoryDeps; calls: Calls } {
  const calls: Calls = { changes: [], summaries: [], visibility: [] };
  const storage: Pick<SyncStorage, 'userMemberChanges' | 'relationSummaries'> = {
    userMemberChanges: async (_roomId, _userId, from, to) => {
      calls.changes.push([from, to]);
      return data.changes ?? [];
    },
    relationSummaries: async (parents: readonly RelationParent[], _userId, _ignored, before) => {
      calls.summaries.push({ parents: parents.map((p) => p.eventId), before });
      const out = new Map<string, RelationSummary>();
      for (const p of parents) {
        const s = data.summaries?.get(p.eventId);
        if (s) out.set(p.eventId, s);
      }
      return out;
    },
  };
  const roomserver: Pick<SyncRoomserverAPI, 'queryEventVisibility'> = {
    queryEventVisibility: async (req) => {
      calls.visibility.push([...req.eventIds]);
      return { events: req.eventIds.map((eventId) => ({ eventId, visible: !(data.hidden ?? []).includes(eventId) })) };
    },
  };
  // Only the methods above are reached by historyServing.
  return { deps: { storage: storage as SyncStorage, roomserver: roomserver as SyncRoomserverAPI }, calls };
}

const joinedSince = (at: number): HistoryAccess => ({ roomId: ROOM, userId: ME, joinedAt: { depth: at, position: at }, readableBefore: ROOM_END });

describe('historyServing', () => {
  it('membership: join from the current join on without a read; before it, the member events up to and including each event', async () => {
    const { deps, calls } = fakeDeps({
      changes: [
        { depth: 3, position: 3, membership: 'invite' },
        { depth: 5, position: 5, membership: 'join' },
      ],
    });
    const [e2, e3, e4, e6] = [event('$2', 2), event('$3', 3), event('$4', 4), event('$6', 6)];
    const serving = await historyServing(deps, joinedSince(5), { userId: ME, deviceId: undefined }, [e6, e4, e3, e2], NOW);
    const membership = (e: SyncEvent) => (asObject(serving.event(e)).unsigned as JsonObject).membership;
    assert.deepEqual([e2, e3, e4, e6].map(membership), ['leave', 'invite', 'invite', 'join']);
    // One read spanning the events before the join, in topological order.
    assert.deepEqual(calls.changes, [[{ depth: 2, position: 2 }, { depth: 4, position: 5 }]]);

    const none = fakeDeps({});
    const after = await historyServing(none.deps, joinedSince(5), { userId: ME, deviceId: undefined }, [e6], NOW);
    assert.deepEqual(asObject(after.event(e6)).unsigned, { age: 10, membership: 'join' });
    assert.deepEqual(none.calls.changes, [], 'no read when every event is after the join');
  });

  it('a left user: children bounded by the leave, membership from the member events, transaction_id for the sending device', async () => {
    const left: HistoryAccess = { roomId: ROOM, userId: ME, joinedAt: undefined, readableBefore: { depth: 9, position: 10 } };
    const { deps, calls } = fakeDeps({ changes: [{ depth: 1, position: 1, membership: 'join' }, { depth: 9, position: 9, membership: 'leave' }] });
    const mine = event('$mine', 4, { sender: ME, txnDeviceId: 'DEV', txnId: 't1' });
    const leave = event('$leave', 9, { type: 'm.room.member', stateKey: ME, membership: 'leave', sender: ME });
    const serving = await historyServing(deps, left, { userId: ME, deviceId: 'DEV' }, [mine, leave], NOW);
    assert.deepEqual(asObject(serving.event(mine)).unsigned, { age: 10, membership: 'join', transaction_id: 't1' });
    assert.equal((asObject(serving.event(leave)).unsigned as JsonObject).membership, 'leave');
    assert.deepEqual(calls.summaries, [{ parents: ['$mine'], before: { depth: 9, position: 10 } }], 'state events get no bundle; children before the leave only');
  });

  it('bundles: a hidden edit or latest reply takes its part out; references stay; one visibility call for the batch', async () => {
    const root = event('$root', 10);
    const other = event('$other', 11);
    const reply = event('$reply', 3);
    const edit = event('$edit', 4);
    const visibleEdit = event('$visibleEdit', 12);
    const summaries = new Map<string, RelationSummary>([
      ['$root', { thread: { count: 2, userReplied: false, latest: reply }, edit, references: ['$ref'] }],
      ['$other', { edit: visibleEdit }],
    ]);
    const { deps, calls } = fakeDeps({ summaries, hidden: ['$reply', '$edit'] });
    // Joined at 8: the reply and edit (3, 4) are asked about, the later edit (12) is not.
    const serving = await historyServing(deps, joinedSince(8), { userId: ME, deviceId: undefined }, [root, other], NOW);
    assert.deepEqual(calls.visibility, [['$reply', '$edit']]);
    assert.deepEqual(serving.relationsOf('$root'), { 'm.reference': { chunk: [{ event_id: '$ref' }] } });
    assert.deepEqual((asObject(serving.event(other)).unsigned as JsonObject)['m.relations'], { 'm.replace': JSON.parse(visibleEdit.json) as JsonObject });
    assert.ok(isRawJson(serving.event(other)), 'bundles are spliced into the stored text');
  });

  it('state: age only, room_id kept', async () => {
    const { deps } = fakeDeps({});
    const serving = await historyServing(deps, joinedSince(1), { userId: ME, deviceId: undefined }, [], NOW);
    const json = JSON.stringify({ event_id: '$s', room_id: ROOM, type: 'm.room.name', state_key: '', sender: ME, content: { name: 'n' }, origin_server_ts: NOW - 3 });
    assert.deepEqual(asObject(serving.state('$s', json)), { ...(JSON.parse(json) as JsonObject), unsigned: { age: 3 } });
  });
});
