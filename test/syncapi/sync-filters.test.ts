/**
 * `/sync` filters over real HTTP against an in-process monolith: stored filters by ID (and an
 * unknown ID), the timeline filter (types, senders, `contains_url`, limit with `limited` and
 * `prev_batch`), `rooms`/`not_rooms`, `include_leave`, the state and account-data filters,
 * lazy-loading members (with and without redundant members), `event_fields`, `event_format`,
 * `use_state_after`, and the `unsigned` fields computed at serve time (`age`, `membership`).
 *
 * Each test uses users of its own, so no room of another test shows up in its responses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SHARED_SECRET, startClientTestServer, type ClientTestServer, type TestUser, userCalls } from '../clientapi/client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

type Ev = { type: string; state_key?: string; sender: string; event_id: string; content: Record<string, unknown>; unsigned?: Record<string, unknown>; room_id?: string };
interface Timeline {
  events: Ev[];
  limited: boolean;
  prev_batch?: string;
}
interface Room {
  state?: { events: Ev[] };
  state_after?: { events: Ev[] };
  timeline: Timeline;
  account_data: { events: Array<{ type: string; content: Record<string, unknown> }> };
}
interface SyncBody {
  next_batch: string;
  rooms: { join: Record<string, Room>; leave: Record<string, Room>; invite: Record<string, unknown> };
  account_data: { events: Array<{ type: string; content: Record<string, unknown> }> };
}

describe('syncapi: /sync filters', () => {
  let s: ClientTestServer;
  let n = 0;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, shared_secret: SHARED_SECRET } });
  });
  after(() => s.stop());

  const user = (name: string) => s.register(`${name}${++n}`);
  const { ok, post, put, create } = userCalls(() => s);
  let txn = 0;
  const sendContent = async (u: TestUser, roomId: string, content: Record<string, unknown>): Promise<string> =>
    String(ok(await put(u, `/rooms/${enc(roomId)}/send/m.room.message/f${++txn}`, content)).event_id);
  const send = (u: TestUser, roomId: string, body: string) => sendContent(u, roomId, { msgtype: 'm.text', body });
  const setState = async (u: TestUser, roomId: string, type: string, content: Record<string, unknown>): Promise<string> =>
    String(ok(await put(u, `/rooms/${enc(roomId)}/state/${type}/`, content)).event_id);
  const sync = async (u: TestUser, params: Record<string, string | number | boolean | object> = {}): Promise<SyncBody> => {
    const entries = Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
    const qs = new URLSearchParams(entries).toString();
    return ok(await s.call('GET', `${V3}/sync${qs ? `?${qs}` : ''}`, { token: u.accessToken })) as unknown as SyncBody;
  };
  /** Syncs with the same parameters until `done` holds (the syncapi consumes events asynchronously). */
  const syncUntil = async (u: TestUser, params: Record<string, string | number | boolean | object>, done: (b: SyncBody) => boolean): Promise<SyncBody> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = await sync(u, params);
      if (done(body)) return body;
      if (Date.now() > deadline) assert.fail(`sync never satisfied the condition; last: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const hasEvent = (eventId: string) => (b: SyncBody) =>
    [...Object.values(b.rooms.join), ...Object.values(b.rooms.leave)].some((r) => r.timeline.events.some((e) => e.event_id === eventId));
  /** Waits until `u`'s sync has seen `eventId` (so every earlier event of its rooms is stored too). */
  const seen = async (u: TestUser, eventId: string) => syncUntil(u, {}, hasEvent(eventId));
  const bodies = (t: Timeline) => t.events.filter((e) => e.type === 'm.room.message').map((e) => e.content.body);
  const keys = (events: Ev[]) => events.map((e) => `${e.type}|${e.state_key ?? ''}`).sort();
  const members = (events: Ev[]) => events.filter((e) => e.type === 'm.room.member').map((e) => e.state_key).sort();

  it('a stored filter by ID: types and limit 1, limited, prev_batch before the first event served', async () => {
    const a = await user('fid');
    const roomId = await create(a);
    await send(a, roomId, 'one');
    const two = await send(a, roomId, 'two');
    const topic = await setState(a, roomId, 'm.room.topic', { topic: 'last' });
    await seen(a, topic);
    const filterId = String(ok(await post(a, `/user/${enc(a.userId)}/filter`, { room: { timeline: { limit: 1, types: ['m.room.message'] } } })).filter_id);
    const body = await sync(a, { filter: filterId });
    const t = body.rooms.join[roomId]!.timeline;
    assert.deepEqual(t.events.map((e) => e.event_id), [two]);
    assert.equal(t.limited, true);
    // The same point an unfiltered timeline starting with that event gives.
    const plain = (await sync(a, { filter: { room: { timeline: { limit: 2 } } } })).rooms.join[roomId]!.timeline;
    assert.deepEqual(plain.events.map((e) => e.event_id), [two, topic]);
    assert.match(t.prev_batch!, /^t\d+_\d+$/);
    assert.equal(t.prev_batch, plain.prev_batch);
    // The filtered-out topic came after the timeline's start: the state there is the old one.
    assert.ok(!keys(body.rooms.join[roomId]!.state!.events).includes('m.room.topic|'));
  });

  it('an unknown filter ID is 400 M_INVALID_PARAM', async () => {
    const a = await user('unknown');
    const res = await s.call('GET', `${V3}/sync?filter=12345`, { token: a.accessToken });
    assert.deepEqual([res.status, res.body.errcode], [400, 'M_INVALID_PARAM']);
    const bad = await s.call('GET', `${V3}/sync?filter=${enc('{"room":{"timeline":{"limit":0}}}')}`, { token: a.accessToken });
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_INVALID_PARAM']);
  });

  it('timeline types, not_senders and contains_url', async () => {
    const a = await user('tl');
    const b = await user('tlb');
    const roomId = await create(a, { preset: 'public_chat' });
    ok(await post(b, `/join/${enc(roomId)}`));
    await send(a, roomId, 'a1');
    await send(b, roomId, 'b1');
    await sendContent(a, roomId, { msgtype: 'm.image', body: 'pic', url: 'mxc://example.org/abc' });
    const last = await send(a, roomId, 'a2');
    await seen(a, last);
    const mine = (await sync(a, { filter: { room: { timeline: { types: ['m.room.message'], not_senders: [b.userId] } } } })).rooms.join[roomId]!.timeline;
    assert.deepEqual(bodies(mine), ['a1', 'pic', 'a2']);
    assert.equal(mine.limited, false);
    const urls = (await sync(a, { filter: { room: { timeline: { contains_url: true } } } })).rooms.join[roomId]!.timeline;
    assert.deepEqual(bodies(urls), ['pic']);
    const noUrls = (await sync(a, { filter: { room: { timeline: { contains_url: false, types: ['m.room.message'] } } } })).rooms.join[roomId]!.timeline;
    assert.deepEqual(bodies(noUrls), ['a1', 'b1', 'a2']);
    // Every message but one matches `m.room.*`: the state events too, in order.
    const wild = (await sync(a, { filter: { room: { timeline: { types: ['m.room.m*'], limit: 3 } } } })).rooms.join[roomId]!.timeline;
    assert.deepEqual([bodies(wild), wild.limited], [['b1', 'pic', 'a2'], true]);
  });

  it('rooms and not_rooms choose the rooms of every section', async () => {
    const a = await user('rooms');
    const roomA = await create(a);
    const roomB = await create(a);
    ok(await put(a, `/user/${enc(a.userId)}/rooms/${enc(roomA)}/account_data/org.example.tag`, { x: 1 }));
    await seen(a, await send(a, roomB, 'b'));
    await seen(a, await send(a, roomA, 'a'));
    assert.deepEqual(Object.keys((await sync(a, { filter: { room: { rooms: [roomA] } } })).rooms.join), [roomA]);
    assert.deepEqual(Object.keys((await sync(a, { filter: { room: { not_rooms: [roomA] } } })).rooms.join), [roomB]);
    assert.deepEqual(Object.keys((await sync(a, { filter: { room: { rooms: [roomA, roomB], not_rooms: [roomB] } } })).rooms.join), [roomA]);
    const incremental = await sync(a, { filter: { room: { not_rooms: [roomB] } } });
    await send(a, roomB, 'only b');
    const none = await sync(a, { since: incremental.next_batch, timeout: 1_000, filter: { room: { not_rooms: [roomB] } } });
    assert.deepEqual(none.rooms.join, {});
  });

  it('include_leave: an initial sync lists a room the user left, its timeline up to the leave', async () => {
    const a = await user('il');
    const b = await user('ilb');
    const c = await user('ilc');
    const roomId = await create(a, { preset: 'public_chat', name: 'Left behind' });
    ok(await post(b, `/join/${enc(roomId)}`));
    ok(await post(c, `/join/${enc(roomId)}`));
    const before = await send(a, roomId, 'before');
    ok(await post(b, `/rooms/${enc(roomId)}/leave`));
    ok(await post(a, `/rooms/${enc(roomId)}/kick`, { user_id: c.userId }));
    await seen(a, await send(a, roomId, 'after'));

    assert.deepEqual((await sync(b)).rooms.leave, {}, 'left by oneself: only with include_leave');
    const body = await sync(b, { filter: { room: { include_leave: true, timeline: { limit: 2 } } } });
    assert.deepEqual(body.rooms.join, {});
    const left = body.rooms.leave[roomId]!;
    assert.deepEqual(left.timeline.events.map((e) => e.event_id).slice(0, 1), [before]);
    const leave = left.timeline.events.at(-1)!;
    assert.deepEqual([leave.type, leave.state_key, leave.content.membership, left.timeline.events.length], ['m.room.member', b.userId, 'leave', 2]);
    assert.equal(left.timeline.limited, true);
    // The state at the timeline's start: b still joined, the room's name.
    const state = left.state!.events;
    assert.equal(state.find((e) => e.type === 'm.room.member' && e.state_key === b.userId)?.content.membership, 'join');
    assert.equal(state.find((e) => e.type === 'm.room.name')?.content.name, 'Left behind');
    // Kicked: listed even without include_leave (the client can show why the room went away).
    const kicked = (await sync(c)).rooms.leave[roomId]!;
    assert.equal(kicked.timeline.events.at(-1)!.sender, a.userId);
    assert.equal(kicked.timeline.events.at(-1)!.content.membership, 'leave');
    // A forgotten room is left out.
    ok(await post(b, `/rooms/${enc(roomId)}/forget`));
    assert.deepEqual((await sync(b, { filter: { room: { include_leave: true } } })).rooms.leave, {});
  });

  it('the state filter and the account-data filters', async () => {
    const a = await user('sf');
    const roomId = await create(a, { name: 'Named', topic: 'Topical' });
    ok(await put(a, `/user/${enc(a.userId)}/account_data/org.example.keep`, { k: 1 }));
    ok(await put(a, `/user/${enc(a.userId)}/account_data/org.example.drop`, { d: 1 }));
    ok(await put(a, `/user/${enc(a.userId)}/rooms/${enc(roomId)}/account_data/org.example.rkeep`, { k: 1 }));
    ok(await put(a, `/user/${enc(a.userId)}/rooms/${enc(roomId)}/account_data/org.example.rdrop`, { d: 1 }));
    await seen(a, await send(a, roomId, 'x'));
    const body = await sync(a, {
      filter: {
        room: { timeline: { limit: 1 }, state: { types: ['m.room.name', 'm.room.topic'] }, account_data: { not_types: ['org.example.rdrop'] } },
        account_data: { types: ['org.example.*'], not_types: ['org.example.drop'] },
      },
    });
    const room = body.rooms.join[roomId]!;
    assert.deepEqual(keys(room.state!.events), ['m.room.name|', 'm.room.topic|']);
    assert.deepEqual(body.account_data.events.map((e) => e.type), ['org.example.keep']);
    assert.deepEqual(room.account_data.events.map((e) => e.type), ['org.example.rkeep']);
  });

  it('lazy-loading members: the timeline senders only, not again, unless redundant members are asked for', async () => {
    const a = await user('ll');
    const b = await user('llb');
    const c = await user('llc');
    const roomId = await create(a, { preset: 'public_chat' });
    ok(await post(b, `/join/${enc(roomId)}`));
    ok(await post(c, `/join/${enc(roomId)}`));
    await send(b, roomId, 'm1');
    const m2 = await send(b, roomId, 'm2');
    await seen(a, m2);
    const lazy = { room: { state: { lazy_load_members: true }, timeline: { limit: 2 } } };

    const initial = await sync(a, { filter: lazy });
    const room = initial.rooms.join[roomId]!;
    assert.deepEqual(bodies(room.timeline), ['m1', 'm2']);
    // The senders' and the syncing user's own; not c's.
    assert.deepEqual(members(room.state!.events), [a.userId, b.userId].sort());
    assert.ok(keys(room.state!.events).includes('m.room.create|'), 'other state is all there');
    // Without lazy-loading, everyone.
    assert.deepEqual(members((await sync(a, { filter: { room: { timeline: { limit: 2 } } } })).rooms.join[roomId]!.state!.events), [a.userId, b.userId, c.userId].sort());

    const m3 = await send(b, roomId, 'm3');
    const second = await syncUntil(a, { since: initial.next_batch, filter: lazy }, hasEvent(m3));
    assert.deepEqual(second.rooms.join[roomId]!.state!.events, [], "b's member event was sent already");

    const m4 = await send(c, roomId, 'm4');
    const third = await syncUntil(a, { since: second.next_batch, filter: lazy }, hasEvent(m4));
    assert.deepEqual(keys(third.rooms.join[roomId]!.state!.events), [`m.room.member|${c.userId}`]);

    const m5 = await send(b, roomId, 'm5');
    const redundant = { room: { state: { lazy_load_members: true, include_redundant_members: true }, timeline: { limit: 2 } } };
    const fourth = await syncUntil(a, { since: third.next_batch, filter: redundant }, hasEvent(m5));
    assert.deepEqual(keys(fourth.rooms.join[roomId]!.state!.events), [`m.room.member|${b.userId}`]);

    // An initial sync starts over: what the device was sent before no longer counts.
    const one = { room: { state: { lazy_load_members: true }, timeline: { limit: 1 } } };
    const again = await sync(a, { filter: one });
    assert.deepEqual(members(again.rooms.join[roomId]!.state!.events), [a.userId, b.userId].sort());
    const m6 = await send(c, roomId, 'm6');
    const after = await syncUntil(a, { since: again.next_batch, filter: one }, hasEvent(m6));
    assert.deepEqual(keys(after.rooms.join[roomId]!.state!.events), [`m.room.member|${c.userId}`]);
  });

  it('event_fields keeps only the named fields', async () => {
    const a = await user('ef');
    const roomId = await create(a);
    await seen(a, await sendContent(a, roomId, { msgtype: 'm.text', body: 'hello', 'm.mentions': {} }));
    const body = await sync(a, { filter: { event_fields: ['type', 'content.body'], room: { timeline: { limit: 1 } } } });
    const room = body.rooms.join[roomId]!;
    assert.deepEqual(room.timeline.events, [{ type: 'm.room.message', content: { body: 'hello' } }]);
    assert.ok(room.state!.events.length > 0);
    for (const e of room.state!.events) assert.deepEqual(Object.keys(e), ['type']);
  });

  it('event_format federation serves the PDUs; the client format has no room_id', async () => {
    const a = await user('fmt');
    const roomId = await create(a);
    const eventId = await send(a, roomId, 'pdu');
    await seen(a, eventId);
    const fed = (await sync(a, { filter: { event_format: 'federation', room: { timeline: { limit: 1 } } } })).rooms.join[roomId]!;
    const pdu = fed.timeline.events[0] as unknown as Record<string, unknown>;
    for (const k of ['auth_events', 'prev_events', 'hashes', 'signatures', 'depth', 'room_id', 'origin_server_ts']) assert.ok(k in pdu, k);
    assert.equal(pdu.room_id, roomId);
    assert.equal((pdu.content as { body: string }).body, 'pdu');
    assert.equal(typeof (pdu.unsigned as { age: number }).age, 'number');
    assert.ok(fed.state!.events.every((e) => 'hashes' in e && 'signatures' in e));
    const client = (await sync(a, { filter: { room: { timeline: { limit: 1 } } } })).rooms.join[roomId]!;
    assert.equal(client.timeline.events[0]!.event_id, eventId);
    for (const e of [...client.timeline.events, ...client.state!.events]) {
      assert.equal('room_id' in e, false);
      assert.equal('hashes' in e, false);
    }
  });

  it('use_state_after: state_after (the state at the timeline end, its events included) and no state', async () => {
    const a = await user('sa');
    const roomId = await create(a, { name: 'One' });
    await setState(a, roomId, 'm.room.name', { name: 'Two' });
    const last = await send(a, roomId, 'msg');
    await seen(a, last);
    const filter = { room: { timeline: { limit: 2 } } };
    const initial = await sync(a, { filter, use_state_after: true });
    const room = initial.rooms.join[roomId]!;
    assert.equal(room.state, undefined);
    assert.deepEqual(room.timeline.events.map((e) => e.type), ['m.room.name', 'm.room.message']);
    assert.equal(room.state_after!.events.find((e) => e.type === 'm.room.name')!.content.name, 'Two');
    assert.ok(keys(room.state_after!.events).includes(`m.room.member|${a.userId}`));

    const topic = await setState(a, roomId, 'm.room.topic', { topic: 'New' });
    const inc = await syncUntil(a, { since: initial.next_batch, filter, use_state_after: true }, hasEvent(topic));
    const r = inc.rooms.join[roomId]!;
    assert.deepEqual(r.state_after!.events.map((e) => e.event_id), [topic]);
    assert.equal(r.state, undefined);
    // Without it: `state` (empty: the timeline is complete) and no `state_after`.
    const plain = await sync(a, { since: initial.next_batch, filter });
    assert.deepEqual([plain.rooms.join[roomId]!.state, plain.rooms.join[roomId]!.state_after], [{ events: [] }, undefined]);
    // A room section written only for account data has an empty `state_after` too.
    ok(await put(a, `/user/${enc(a.userId)}/rooms/${enc(roomId)}/account_data/org.example.x`, { y: 1 }));
    const data = await syncUntil(a, { since: inc.next_batch, use_state_after: true }, (b) => b.rooms.join[roomId] !== undefined);
    assert.deepEqual([data.rooms.join[roomId]!.state_after, data.rooms.join[roomId]!.state], [{ events: [] }, undefined]);
  });

  it('unsigned.age on timeline and state events, unsigned.membership of the syncing user at each event', async () => {
    const a = await user('age');
    const b = await user('ageb');
    const roomId = await create(a, { preset: 'public_chat' });
    const before = await send(a, roomId, 'before b');
    ok(await post(b, `/join/${enc(roomId)}`));
    const last = await send(a, roomId, 'after b');
    await seen(b, last);
    const t0 = Date.now();
    const body = await sync(b, { filter: { room: { timeline: { limit: 3 } } } });
    const room = body.rooms.join[roomId]!;
    const byId = new Map(room.timeline.events.map((e) => [e.event_id, e]));
    const join = room.timeline.events.find((e) => e.type === 'm.room.member' && e.state_key === b.userId)!;
    assert.deepEqual(
      [byId.get(before)?.unsigned?.membership, join.unsigned?.membership, byId.get(last)?.unsigned?.membership],
      ['leave', 'join', 'join'],
    );
    for (const e of [...room.timeline.events, ...room.state!.events]) {
      const age = e.unsigned?.age;
      assert.equal(typeof age, 'number', e.event_id);
      assert.ok((age as number) >= 0 && (age as number) < Date.now() - t0 + 60_000, `${String(age)}`);
    }
  });
});
