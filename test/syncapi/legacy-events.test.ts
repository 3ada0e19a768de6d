/**
 * The legacy `GET /events` stream and `GET /events/{eventId}` over real HTTP against an
 * in-process monolith: a long-poll woken by another user's message (promptly, carrying it), a
 * timeout with nothing (`end` is `from`), tokens shared with `/sync` both ways, the user's rooms
 * as their membership changes (an invite, the join, the leave), paging with `limit`, the sending
 * device's `transaction_id`, typing, tags and presence in the stream, peeking into a
 * world-readable room (a peeker woken by the room, guests) against 403 for a private one, bad
 * parameters, and one event by ID with its visibility.
 *
 * The syncapi consumes the roomserver's output asynchronously: before taking a "now" token a test
 * waits (`settle`) until the last event it sent is readable, so the token is past it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SHARED_SECRET, type ClientTestServer, type Res, type TestUser } from '../clientapi/client-test-server.js';
import { enc, startWithUsers, syncCalls, V3 } from './syncapi-http-kit.js';

type Ev = { type: string; room_id?: string; state_key?: string; sender?: string; event_id?: string; content: Record<string, unknown>; unsigned?: Record<string, unknown> };
interface EventsBody {
  start: string;
  end: string;
  chunk: Ev[];
}

describe('syncapi: legacy /events', () => {
  let s: ClientTestServer;
  let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser;
  before(async () => {
    ({ server: s, users: [alice, bob, carol, dave] } = await startWithUsers(['alice', 'bob', 'carol', 'dave'], { registration: { enabled: true, guests: true, shared_secret: SHARED_SECRET } }));
  });
  after(() => s.stop());

  const { ok, post, put, create, waitFor: settle } = syncCalls(() => s);
  let txn = 0;
  const send = async (u: TestUser, roomId: string, body: string, txnId = `t${++txn}`): Promise<string> =>
    String(ok(await put(u, `/rooms/${enc(roomId)}/send/m.room.message/${txnId}`, { msgtype: 'm.text', body })).event_id);
  const query = (params: Record<string, string | number | undefined>) => {
    const qs = new URLSearchParams(Object.entries(params).flatMap(([k, v]): Array<[string, string]> => (v === undefined ? [] : [[k, String(v)]]))).toString();
    return qs ? `?${qs}` : '';
  };
  const eventsRes = (u: TestUser, params: Record<string, string | number | undefined>): Promise<Res> => s.call('GET', `${V3}/events${query(params)}`, { token: u.accessToken });
  const events = async (u: TestUser, params: Record<string, string | number | undefined>): Promise<EventsBody> => ok(await eventsRes(u, params)) as unknown as EventsBody;
  /** The current end of `u`'s stream (of `roomId`'s, peeking). */
  const now = async (u: TestUser, roomId?: string): Promise<string> => (await events(u, { timeout: 0, room_id: roomId })).end;
  /** Follows `u`'s stream from `from` until `done` holds for everything received; the events and the last `end`. */
  const collect = async (u: TestUser, from: string, done: (all: Ev[]) => boolean, params: Record<string, string> = {}): Promise<{ all: Ev[]; end: string }> => {
    const all: Ev[] = [];
    let end = from;
    const deadline = Date.now() + 10_000;
    while (!done(all)) {
      assert.ok(Date.now() < deadline, `the stream never got there; received: ${JSON.stringify(all)}`);
      const body = await events(u, { ...params, from: end, timeout: 2_000 });
      all.push(...body.chunk);
      end = body.end;
    }
    return { all, end };
  };
  const bodies = (evs: Ev[]) => evs.filter((e) => e.type === 'm.room.message').map((e) => String(e.content.body));
  /** A room of alice's that bob has joined, settled. */
  const sharedRoom = async (): Promise<string> => {
    const roomId = await create(alice, { preset: 'private_chat', invite: [bob.userId] });
    ok(await post(bob, `/rooms/${enc(roomId)}/join`));
    await settle(bob, roomId, await send(alice, roomId, 'settled'));
    return roomId;
  };

  it('a long-poll is woken by another user’s message and carries it; then nothing new: end is from', async () => {
    const roomId = await sharedRoom();
    const from = await now(bob);
    const t0 = Date.now();
    const poll = events(bob, { from, timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    const eventId = await send(alice, roomId, 'wake up');
    const body = await poll;
    const elapsed = Date.now() - t0;
    assert.ok(elapsed >= 250 && elapsed < 3_000, `answered after ${elapsed} ms`);
    assert.equal(body.start, from);
    assert.notEqual(body.end, from);
    assert.match(body.end, /^s\d+(_\d+){8}$/);
    assert.equal(body.chunk.length, 1);
    const [e] = body.chunk;
    assert.deepEqual(
      { type: e!.type, room_id: e!.room_id, sender: e!.sender, event_id: e!.event_id, content: e!.content },
      { type: 'm.room.message', room_id: roomId, sender: alice.userId, event_id: eventId, content: { msgtype: 'm.text', body: 'wake up' } },
    );
    assert.equal(typeof e!.unsigned?.age, 'number');
    assert.equal('transaction_id' in (e!.unsigned ?? {}), false, 'not bob’s device');
    const again = await events(bob, { from: body.end, timeout: 0 });
    assert.deepEqual(again, { start: body.end, end: body.end, chunk: [] });
  });

  it('a timeout with nothing new answers an empty chunk after the timeout, end equal to from', async () => {
    await sharedRoom();
    const from = await now(bob);
    const t0 = Date.now();
    const body = await events(bob, { from, timeout: 600 });
    const elapsed = Date.now() - t0;
    assert.ok(elapsed >= 550 && elapsed < 3_000, `answered after ${elapsed} ms`);
    assert.deepEqual(body, { start: from, end: from, chunk: [] });
  });

  it('without from the stream starts now; /events and /sync tokens feed each other', async () => {
    const roomId = await sharedRoom();
    const first = await events(bob, { timeout: 0 });
    assert.deepEqual(first.chunk, []);
    assert.equal(first.start, first.end);
    await send(alice, roomId, 'after the token');
    const viaEvents = await collect(bob, first.end, (all) => bodies(all).includes('after the token'));
    assert.deepEqual(bodies(viaEvents.all), ['after the token']);
    // The /events token as a /sync `since`: only what came after it.
    await send(alice, roomId, 'for sync');
    const deadline = Date.now() + 10_000;
    let sync: { next_batch: string; rooms: { join: Record<string, { timeline: { events: Ev[] } }> } };
    for (;;) {
      sync = ok(await s.call('GET', `${V3}/sync?since=${enc(viaEvents.end)}&timeout=2000&set_presence=offline`, { token: bob.accessToken })) as unknown as typeof sync;
      if (sync.rooms.join[roomId]) break;
      assert.ok(Date.now() < deadline);
    }
    assert.deepEqual(bodies(sync.rooms.join[roomId]!.timeline.events), ['for sync']);
    // A /sync `next_batch` as the /events `from`.
    await send(alice, roomId, 'for events');
    const fromSync = await collect(bob, sync.next_batch, (all) => bodies(all).includes('for events'));
    assert.deepEqual(bodies(fromSync.all), ['for events']);
  });

  it('follows the user’s membership: the invite (not the room’s events), the join and what follows, the leave and nothing after', async () => {
    const roomId = await create(alice, { preset: 'private_chat' });
    await settle(alice, roomId, await send(alice, roomId, 'before the invite'));
    const from = await now(carol);
    ok(await post(alice, `/rooms/${enc(roomId)}/invite`, { user_id: carol.userId }));
    await send(alice, roomId, 'while invited');
    const invited = await collect(carol, from, (all) => all.some((e) => e.type === 'm.room.member'));
    assert.deepEqual(
      invited.all.map((e) => [e.type, e.room_id, e.state_key, e.sender, e.content.membership]),
      [['m.room.member', roomId, carol.userId, alice.userId, 'invite']],
    );
    ok(await post(carol, `/rooms/${enc(roomId)}/join`));
    await send(alice, roomId, 'welcome');
    const joined = await collect(carol, invited.end, (all) => bodies(all).includes('welcome'));
    assert.deepEqual(
      joined.all.map((e) => (e.type === 'm.room.message' ? String(e.content.body) : `${e.type}|${e.state_key}|${String(e.content.membership)}`)),
      [`m.room.member|${carol.userId}|join`, 'welcome'],
    );
    ok(await post(carol, `/rooms/${enc(roomId)}/leave`));
    const left = await collect(carol, joined.end, (all) => all.some((e) => e.content.membership === 'leave'));
    assert.deepEqual(
      left.all.map((e) => `${e.type}|${e.state_key}|${String(e.content.membership)}`),
      [`m.room.member|${carol.userId}|leave`],
    );
    await settle(alice, roomId, await send(alice, roomId, 'after carol left'));
    assert.deepEqual(await events(carol, { from: left.end, timeout: 300 }), { start: left.end, end: left.end, chunk: [] });
  });

  it('limit pages the room events: each page continues after the one before, every event once', async () => {
    const roomId = await sharedRoom();
    const from = await now(bob);
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(alice, roomId, `p${i}`));
    await settle(bob, roomId, sent.at(-1)!);
    const pages: string[][] = [];
    let token = from;
    for (let i = 0; i < 10; i++) {
      const body = await events(bob, { from: token, timeout: 0, limit: 2 });
      if (body.chunk.length === 0) break;
      pages.push(body.chunk.map((e) => e.event_id!));
      token = body.end;
    }
    assert.deepEqual(pages, [sent.slice(0, 2), sent.slice(2, 4), sent.slice(4)]);
  });

  it('echoes transaction_id to the sending device only', async () => {
    const roomId = await sharedRoom();
    const [aliceFrom, bobFrom] = [await now(alice), await now(bob)];
    await send(alice, roomId, 'with a txn', 'my-txn-1');
    const mine = await collect(alice, aliceFrom, (all) => bodies(all).includes('with a txn'));
    const theirs = await collect(bob, bobFrom, (all) => bodies(all).includes('with a txn'));
    assert.equal(mine.all.find((e) => e.content.body === 'with a txn')!.unsigned?.transaction_id, 'my-txn-1');
    assert.equal(theirs.all.find((e) => e.content.body === 'with a txn')!.unsigned?.transaction_id, undefined);
  });

  it('carries typing and receipts (with room_id), the user’s tags (with room_id) and presence', async () => {
    const roomId = await sharedRoom();
    const from = await now(bob);
    ok(await put(alice, `/rooms/${enc(roomId)}/typing/${enc(alice.userId)}`, { typing: true, timeout: 30_000 }));
    const typing = await collect(bob, from, (all) => all.some((e) => e.type === 'm.typing'));
    assert.deepEqual(
      typing.all.filter((e) => e.type === 'm.typing'),
      [{ type: 'm.typing', room_id: roomId, content: { user_ids: [alice.userId] } }],
    );
    ok(await put(alice, `/rooms/${enc(roomId)}/typing/${enc(alice.userId)}`, { typing: false }));
    const messageId = await send(alice, roomId, 'read me');
    await settle(bob, roomId, messageId);
    ok(await post(alice, `/rooms/${enc(roomId)}/receipt/m.read/${enc(messageId)}`, {}));
    const receipts = await collect(bob, typing.end, (all) => all.some((e) => e.type === 'm.receipt'));
    const receipt = receipts.all.find((e) => e.type === 'm.receipt')!;
    assert.equal(receipt.room_id, roomId);
    assert.deepEqual(Object.keys(receipt.content), [messageId]);
    assert.equal(typeof (receipt.content[messageId] as Record<string, Record<string, { ts: number }>>)['m.read']![alice.userId]!.ts, 'number');
    ok(await put(bob, `/user/${enc(bob.userId)}/rooms/${enc(roomId)}/tags/u.work`, { order: 0.5 }));
    const tags = await collect(bob, receipts.end, (all) => all.some((e) => e.type === 'm.tag'));
    assert.deepEqual(
      tags.all.filter((e) => e.type === 'm.tag'),
      [{ type: 'm.tag', room_id: roomId, content: { tags: { 'u.work': { order: 0.5 } } } }],
    );
    ok(await put(alice, `/presence/${enc(alice.userId)}/status`, { presence: 'online', status_msg: 'in the stream' }));
    const presence = await collect(bob, tags.end, (all) => all.some((e) => e.type === 'm.presence' && e.sender === alice.userId));
    const p = presence.all.find((e) => e.type === 'm.presence' && e.sender === alice.userId)!;
    assert.deepEqual([p.content.user_id, p.content.presence, p.content.status_msg], [alice.userId, 'online', 'in the stream']);
  });

  describe('peeking (room_id)', () => {
    let open: string;
    let closed: string;
    before(async () => {
      open = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'world_readable' } }] });
      closed = await create(alice, { preset: 'public_chat' });
      await settle(alice, open, await send(alice, open, 'open settled'));
      await settle(alice, closed, await send(alice, closed, 'closed settled'));
    });

    it('a stranger watching a world-readable room is woken by its events and gets them; other rooms stay out', async () => {
      const from = await now(dave, open);
      const t0 = Date.now();
      const poll = events(dave, { from, timeout: 10_000, room_id: open });
      await new Promise((r) => setTimeout(r, 300));
      await send(alice, closed, 'not for peekers');
      const eventId = await send(alice, open, 'hello peekers');
      const body = await poll;
      assert.ok(Date.now() - t0 < 3_000);
      assert.deepEqual(
        body.chunk.map((e) => [e.event_id, e.room_id, e.content.body]),
        [[eventId, open, 'hello peekers']],
      );
      const sharedStream = await events(dave, { from, timeout: 0 });
      assert.deepEqual(sharedStream.chunk, [], 'dave’s own stream has no room of his');
    });

    it('a private (shared history) room is 403 M_FORBIDDEN to a stranger; a member may watch it', async () => {
      const res = await eventsRes(dave, { timeout: 0, room_id: closed });
      assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN']);
      const from = await now(alice, closed);
      const eventId = await send(alice, closed, 'members only');
      const got = await collect(alice, from, (all) => all.some((e) => e.event_id === eventId), { room_id: closed });
      assert.deepEqual(got.all.map((e) => e.content.body), ['members only']);
    });

    it('a guest may peek into a world-readable room, not call /events without room_id', async () => {
      const g = ok(await s.call('POST', `${V3}/register?kind=guest`, { body: {} }));
      const guest: TestUser = { userId: String(g.user_id), accessToken: String(g.access_token), deviceId: String(g.device_id), password: '' };
      const global = await eventsRes(guest, { timeout: 0 });
      assert.deepEqual([global.status, global.body.errcode], [403, 'M_GUEST_ACCESS_FORBIDDEN']);
      const from = await now(guest, open);
      const eventId = await send(alice, open, 'hello guest');
      const got = await collect(guest, from, (all) => all.some((e) => e.event_id === eventId), { room_id: open });
      assert.deepEqual(got.all.map((e) => e.content.body), ['hello guest']);
    });
  });

  it('rejects a bad from, a negative or non-numeric limit and a non-numeric timeout with 400', async () => {
    for (const params of [{ from: 'garbage' }, { from: 's1_x' }, { limit: -1 }, { limit: 'many' }, { timeout: 'soon' }]) {
      const res = await eventsRes(bob, { timeout: 0, ...params });
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_INVALID_PARAM'], JSON.stringify(params));
    }
  });

  describe('GET /events/{eventId}', () => {
    const getEvent = (u: TestUser, eventId: string) => s.call('GET', `${V3}/events/${enc(eventId)}`, { token: u.accessToken });

    it('serves a member the event; a stranger gets 404 for a private room’s event and for an unknown one', async () => {
      const roomId = await sharedRoom();
      const eventId = await send(alice, roomId, 'by id');
      await settle(bob, roomId, eventId);
      const body = ok(await getEvent(bob, eventId)) as unknown as Ev;
      assert.deepEqual(
        { type: body.type, room_id: body.room_id, sender: body.sender, event_id: body.event_id, content: body.content },
        { type: 'm.room.message', room_id: roomId, sender: alice.userId, event_id: eventId, content: { msgtype: 'm.text', body: 'by id' } },
      );
      for (const [u, id] of [[dave, eventId], [bob, '$nope:localhost']] as const) {
        const res = await getEvent(u, id);
        assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND']);
      }
    });

    it('hides what history visibility hides: joined-only history before a member joined, and serves a world-readable room to anyone', async () => {
      const roomId = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'joined' } }] });
      const before = await send(alice, roomId, 'before carol');
      ok(await post(carol, `/rooms/${enc(roomId)}/join`));
      const afterId = await send(alice, roomId, 'after carol');
      await settle(carol, roomId, afterId);
      assert.equal((await getEvent(carol, before)).status, 404);
      assert.equal((ok(await getEvent(carol, afterId)) as unknown as Ev).content.body, 'after carol');
      const open = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'world_readable' } }] });
      const openId = await send(alice, open, 'for everyone');
      await settle(alice, open, openId);
      assert.equal((ok(await getEvent(dave, openId)) as unknown as Ev).content.body, 'for everyone');
    });
  });
});
