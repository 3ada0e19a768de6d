/**
 * The storage reads behind served history events, on SQLite and PostgreSQL, written through the
 * syncapi's roomserver consumer: a user's member events over a stretch of a room's topological
 * order (`userMemberChanges`: the one before it, those inside, never another user's or another
 * room's), and the `before` bound of `relationSummaries` (children at or after the point leave
 * counts, latest replies, edits and references).
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { SyncRoomserverAPI } from '../../src/roomserver/api.js';
import type { OutputRoomEventMessage } from '../../src/roomserver/producers/output-room-event.js';
import { handleRoomserverOutput } from '../../src/syncapi/consumers/roomserver.js';
import { createNotifier } from '../../src/syncapi/notifier.js';
import { openSyncStorage, type SyncStorage, type TopologicalPoint } from '../../src/syncapi/storage/index.js';
import { describeEachBackend, type BackendContext } from '../harness/describe-each-backend.js';

const ALICE = '@alice:hs.test';
const BOB = '@bob:hs.test';
const R = '!served:hs.test';
const OTHER = '!other:hs.test';

/** The rooms' events are consumed in order after their create: the roomserver is never asked. */
const roomserver = {
  queryEvents: async () => ({ events: [] }),
  queryState: async () => ({ found: true, events: [] }),
} as unknown as SyncRoomserverAPI;

let ts = 1_700_000_000_000;
function newEvent(roomId: string, eventId: string, sender: string, depth: number, content: JsonObject, stateKey?: string, type = 'm.room.message'): OutputRoomEventMessage {
  const event: JsonObject = { room_id: roomId, type, sender, content, depth, origin_server_ts: ++ts, ...(stateKey !== undefined ? { state_key: stateKey } : {}) };
  const adds = stateKey !== undefined ? [eventId] : [];
  return { type: 'new_room_event', roomId, roomVersion: '11', eventId, event, addsStateEventIds: adds, removesStateEventIds: [], latestEventIds: [eventId], streamPosition: 0, transaction: null };
}

describeEachBackend('syncapi served-events storage', (ctx) => suite(ctx));

function suite(ctx: BackendContext): void {
  let storage: SyncStorage;
  const send = (roomId: string, eventId: string, sender: string, depth: number, content: JsonObject, stateKey?: string, type?: string) =>
    handleRoomserverOutput({ storage, roomserver, notifier: createNotifier(() => true) }, newEvent(roomId, eventId, sender, depth, content, stateKey, type));
  const member = (roomId: string, eventId: string, userId: string, depth: number, membership: string) =>
    send(roomId, eventId, userId, depth, { membership }, userId, 'm.room.member');
  const pointOf = async (eventId: string): Promise<TopologicalPoint> => {
    const [e] = await storage.eventsByIds([eventId]);
    return { depth: e!.depth, position: e!.position };
  };
  const after = (p: TopologicalPoint): TopologicalPoint => ({ depth: p.depth, position: p.position + 1 });

  before(async () => {
    storage = await openSyncStorage(await ctx.open());
    await send(R, '$create', ALICE, 1, { room_version: '11' }, '', 'm.room.create');
    await send(OTHER, '$ocreate', ALICE, 1, { room_version: '11' }, '', 'm.room.create');
    await member(R, '$ajoin', ALICE, 2, 'join');
    await member(R, '$binvite', BOB, 3, 'invite');
    await send(R, '$m4', ALICE, 4, { body: 'm4' });
    await member(R, '$bjoin', BOB, 5, 'join');
    await member(OTHER, '$bother', BOB, 5, 'join');
    await send(R, '$m6', ALICE, 6, { body: 'm6' });
    await member(R, '$bname', BOB, 7, 'join');
    await member(R, '$bleave', BOB, 8, 'leave');
    await send(R, '$m9', ALICE, 9, { body: 'm9' });
  });

  it('userMemberChanges: the last member event before the stretch, then those inside it, in topological order', async () => {
    const changes = async (from: string, to: string) =>
      (await storage.userMemberChanges(R, BOB, await pointOf(from), after(await pointOf(to)))).map((c) => [c.depth, c.membership]);
    assert.deepEqual(await changes('$m6', '$m9'), [[5, 'join'], [7, 'join'], [8, 'leave']]);
    assert.deepEqual(await changes('$m4', '$m4'), [[3, 'invite']]);
    assert.deepEqual(await changes('$create', '$m4'), [[3, 'invite']]);
    assert.deepEqual(await changes('$create', '$create'), []);
    assert.deepEqual(await changes('$m9', '$m9'), [[8, 'leave']]);
    // Its positions are the events' own.
    const [leave] = (await storage.userMemberChanges(R, BOB, await pointOf('$m9'), after(await pointOf('$m9')))).map((c) => c.position);
    assert.equal(leave, (await pointOf('$bleave')).position);
    assert.deepEqual(await storage.userMemberChanges(OTHER, ALICE, { depth: 0, position: 0 }, { depth: 100, position: 0 }), []);
  });

  it('relationSummaries: children at or after `before` do not count', async () => {
    const rel = (relType: string, parent: string): JsonObject => ({ body: 'x', 'm.relates_to': { rel_type: relType, event_id: parent } });
    await send(R, '$root', ALICE, 10, { body: 'root' });
    await send(R, '$r1', BOB, 11, rel('m.thread', '$root'));
    await send(R, '$ref1', BOB, 12, rel('m.reference', '$root'));
    await send(R, '$e1', ALICE, 13, { body: '* a', 'm.new_content': { body: 'a' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$root' } });
    await send(R, '$r2', ALICE, 14, rel('m.thread', '$root'));
    await send(R, '$ref2', ALICE, 15, rel('m.reference', '$root'));
    await send(R, '$e2', ALICE, 16, { body: '* b', 'm.new_content': { body: 'b' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$root' } });
    const summary = async (before?: TopologicalPoint) => {
      const s = (await storage.relationSummaries([{ eventId: '$root', roomId: R }], BOB, [], before)).get('$root');
      return s && { count: s.thread?.count, latest: s.thread?.latest.eventId, mine: s.thread?.userReplied, edit: s.edit?.eventId, references: s.references };
    };
    assert.deepEqual(await summary(), { count: 2, latest: '$r2', mine: true, edit: '$e2', references: ['$ref1', '$ref2'] });
    assert.deepEqual(await summary(await pointOf('$r2')), { count: 1, latest: '$r1', mine: true, edit: '$e1', references: ['$ref1'] });
    assert.deepEqual(await summary(await pointOf('$ref1')), { count: 1, latest: '$r1', mine: true, edit: undefined, references: undefined });
    assert.equal(await summary(await pointOf('$r1')), undefined);
  });
}
