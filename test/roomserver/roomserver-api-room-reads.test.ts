/**
 * The roomserver API, reading a room for federation: `queryStateBeforeEvent` (the state before
 * an event, not after it), `queryAuthChain`, `queryBackfill` (deepest first across a fork, the
 * given events counted in the limit) and `queryMissingEvents` (breadth-first from the latest
 * events, stopping at the earliest ones, `limit` and `min_depth`, oldest first).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import type { InputRoomEvent, RoomserverAPI } from '../../src/roomserver/api.js';
import type { SigningKey } from '../../src/matrix/signing-key.js';
import { createRoom, describeRoomserverApi, REMOTE, remoteEvent, uid } from './roomserver-api-kit.js';

const ALICE = uid('alice');
const ROB = uid('rob', REMOTE);

const input = (ev: RoomEvent): InputRoomEvent => ({ kind: 'new', event: ev.json, roomVersion: ev.roomVersion.id, origin: REMOTE });

async function send(api: RoomserverAPI, roomId: string, type: string, content: JsonObject, stateKey?: string): Promise<string> {
  const { eventIds } = await api.performSendEvents({ events: [{ roomId, type, sender: ALICE, content, ...(stateKey !== undefined ? { stateKey } : {}) }] });
  return eventIds[0]!;
}
const msg = (api: RoomserverAPI, roomId: string, body: string) => send(api, roomId, 'm.room.message', { msgtype: 'm.text', body });

/** Rob's message on `prevEvents`, input as a live event; its ID. */
async function robSays(api: RoomserverAPI, key: SigningKey, roomId: string, body: string, prevEvents: readonly string[]): Promise<string> {
  const ev = await remoteEvent(api, roomId, key, { type: 'm.room.message', sender: ROB, content: { body }, prevEvents });
  const [result] = (await api.inputRoomEvents({ inputs: [input(ev)] })).results;
  assert.equal(result?.accepted, true, JSON.stringify(result?.rejection));
  return ev.eventId;
}

/** A room with Rob joined, forked at `x`: a1 ← a2 on one branch, b1 on the other, merged by Alice's `m`. */
async function forkedRoom(api: RoomserverAPI, key: SigningKey) {
  const room = await createRoom(api, '12', ALICE);
  const join = await remoteEvent(api, room.roomId, key, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
  assert.equal((await api.inputRoomEvents({ inputs: [input(join)] })).results[0]?.accepted, true);
  const x = await msg(api, room.roomId, 'x');
  const a1 = await robSays(api, key, room.roomId, 'a1', [x]);
  const a2 = await robSays(api, key, room.roomId, 'a2', [a1]);
  const b1 = await robSays(api, key, room.roomId, 'b1', [x]);
  const m = await msg(api, room.roomId, 'merge');
  const { events } = await api.queryEvents({ eventIds: [m] });
  assert.deepEqual([...(events[0]!.event.prev_events as string[])].sort(), [a2, b1].sort());
  return { ...room, robJoin: join.eventId, x, a1, a2, b1, m };
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describeRoomserverApi('roomserver API: federation reads of a room', (api, env) => {
  it('queryStateBeforeEvent: the state before the event, without its own change', async () => {
    const room = await createRoom(api(), '12', ALICE);
    const name1 = await send(api(), room.roomId, 'm.room.name', { name: 'one' }, '');
    const m1 = await msg(api(), room.roomId, 'hello');
    const name2 = await send(api(), room.roomId, 'm.room.name', { name: 'two' }, '');
    const base = [room.createId, room.joinId, room.powerId, room.joinRulesId];
    const stateBefore = async (eventId: string) => api().queryStateBeforeEvent({ roomId: room.roomId, eventId });

    const atM1 = await stateBefore(m1);
    assert.equal(atM1.found, true);
    assert.deepEqual(atM1.eventIds, [...base, name1].sort());
    assert.deepEqual(atM1.events.map((e) => e.eventId), atM1.eventIds);
    // A state event: the name it replaced, not itself; the first name: no name at all.
    assert.deepEqual((await stateBefore(name2)).eventIds, [...base, name1].sort());
    assert.deepEqual((await stateBefore(name1)).eventIds, [...base].sort());
    assert.deepEqual((await stateBefore(room.createId)).eventIds, []);
    const idsOnly = await api().queryStateBeforeEvent({ roomId: room.roomId, eventId: m1, idsOnly: true });
    assert.deepEqual(idsOnly, { found: true, eventIds: atM1.eventIds, events: [] });

    assert.deepEqual(await stateBefore('$unknown'), { found: false, eventIds: [], events: [] });
    const other = await createRoom(api(), '12', ALICE);
    assert.equal((await api().queryStateBeforeEvent({ roomId: other.roomId, eventId: m1 })).found, false);
  });

  it('queryAuthChain: auth events, recursively, by depth, not the events asked about', async () => {
    const room = await createRoom(api(), '12', ALICE);
    const m1 = await msg(api(), room.roomId, 'hello');
    const { events } = await api().queryEvents({ eventIds: [m1] });
    const auth = [...(events[0]!.event.auth_events as string[])].sort();
    // v12: no create event in auth_events, but it is in the chain all the same.
    assert.deepEqual(auth, [room.joinId, room.powerId].sort());
    const chain = await api().queryAuthChain({ eventIds: [m1] });
    assert.deepEqual(new Set(chain.eventIds), new Set([room.createId, room.joinId, room.powerId]));
    assert.equal(chain.eventIds[0], room.createId);
    assert.deepEqual(chain.events.map((e) => e.eventId), chain.eventIds);
    assert.deepEqual(await api().queryAuthChain({ eventIds: [m1], idsOnly: true }), { eventIds: chain.eventIds, events: [] });
    assert.deepEqual(await api().queryAuthChain({ eventIds: ['$unknown'] }), { eventIds: [], events: [] });
    // v11 lists the create event itself.
    const v11 = await createRoom(api(), '11', ALICE, '!reads:test.local');
    const old = await msg(api(), v11.roomId, 'hello');
    assert.deepEqual(new Set((await api().queryAuthChain({ eventIds: [old] })).eventIds), new Set([v11.createId, v11.joinId, v11.powerId]));
    assert.deepEqual((await api().queryAuthChain({ eventIds: [room.createId] })).eventIds, []);
  });

  it('queryBackfill: deepest first across a fork, the given events counted in the limit', async () => {
    const r = await forkedRoom(api(), env().remoteKey);
    const tied = [r.a1, r.b1].sort(byId);
    const back = async (eventIds: string[], limit: number) => (await api().queryBackfill({ roomId: r.roomId, eventIds, limit })).events.map((e) => e.eventId);
    assert.deepEqual(await back([r.m], 5), [r.m, r.a2, ...tied, r.x]);
    assert.deepEqual(await back([r.m], 2), [r.m, r.a2]);
    assert.deepEqual(await back([r.a2, r.b1], 3), [r.a2, ...tied]);
    assert.deepEqual(await back([r.m], 0), []);
    // All the way back to the create event.
    const all = await back([r.m], 100);
    assert.equal(all.length, 10);
    assert.equal(all.at(-1), r.createId);
    assert.deepEqual(await back(['$unknown'], 10), []);
    const other = await createRoom(api(), '12', ALICE);
    assert.deepEqual((await api().queryBackfill({ roomId: other.roomId, eventIds: [r.m], limit: 10 })).events, []);
  });

  it('queryMissingEvents: breadth-first from the latest events, not past the earliest, oldest first', async () => {
    const r = await forkedRoom(api(), env().remoteKey);
    const missing = async (earliestEvents: string[], latestEvents: string[], limit = 10, minDepth?: number) =>
      (await api().queryMissingEvents({ roomId: r.roomId, earliestEvents, latestEvents, limit, ...(minDepth !== undefined ? { minDepth } : {}) })).events.map((e) => e.eventId);
    const tied = [r.a1, r.b1].sort(byId);
    assert.deepEqual(await missing([r.x], [r.m]), [...tied, r.a2]);
    // The limit keeps the events nearest the latest ones: a2 and b1 (the first level).
    assert.deepEqual(await missing([r.x], [r.m], 2), [r.b1, r.a2]);
    assert.deepEqual(await missing([r.a1, r.b1], [r.m]), [r.a2]);
    const { events } = await api().queryEvents({ eventIds: [r.x] });
    const xDepth = events[0]!.event.depth as number;
    // min_depth: nothing shallower than a1/b1 (x and before are left out).
    assert.deepEqual(await missing([], [r.m], 10, xDepth + 1), [...tied, r.a2]);
    assert.deepEqual(await missing([], [r.m], 0), []);
    assert.deepEqual(await missing([], ['$unknown']), []);
  });
});
