/**
 * Typing, receipts, read markers and presence over real HTTP against an in-process monolith:
 * each route's success and refusals, and that what it accepts reaches its bus topic
 * (`OutputTypingEvent`, `OutputReceiptEvent`, `OutputPresenceEvent`, `OutputAccountData`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OutputReceiptEvent, type OutputReceiptMessage } from '../../src/clientapi/producers/output-receipt-event.js';
import { OutputTypingEvent, type OutputTypingMessage } from '../../src/clientapi/producers/output-typing-event.js';
import type { Bus, Subscription, TopicSpec } from '../../src/internal/bus/bus.js';
import { OutputAccountData, type OutputAccountDataMessage } from '../../src/userapi/producers/output-account-data.js';
import { OutputPresenceEvent, type OutputPresenceMessage } from '../../src/userapi/producers/output-presence.js';
import { SERVER_NAME, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

/** The messages of one topic, as a consumer on the server's bus receives them. */
interface Collector<T> {
  /** The first message not yet taken that matches, waiting up to 5 s for it. */
  take(match: (m: T) => boolean): Promise<T>;
  /** Messages that arrived and were not taken. */
  readonly rest: T[];
  stop(): Promise<void>;
}

async function collect<T>(bus: Bus, topic: TopicSpec, consumer: string): Promise<Collector<T>> {
  const rest: T[] = [];
  const sub: Subscription = await bus.subscribe<T>({ topic, consumer, handler: async (m) => void rest.push(m.payload) });
  return {
    rest,
    async take(match) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const i = rest.findIndex(match);
        if (i >= 0) return rest.splice(i, 1)[0] as T;
        if (Date.now() > deadline) throw new Error(`no matching ${topic.name} message; got ${JSON.stringify(rest)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stop: () => sub.stop(),
  };
}

const ok = (res: Res): Record<string, unknown> => {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};
const err = (res: Res, status: number, errcode: string): void =>
  assert.deepEqual([res.status, res.body.errcode], [status, errcode], JSON.stringify(res.body));

describe('ephemeral: typing, receipts, read markers, presence', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let roomId: string;
  let otherRoomId: string;
  let e1: string;
  let e2: string;
  /** In e1's thread. */
  let inThread: string;
  /** A reaction to `inThread`: in the thread too, one relation further. */
  let reaction: string;
  let otherEvent: string;
  let typing: Collector<OutputTypingMessage>;
  let receipts: Collector<OutputReceiptMessage>;
  let presence: Collector<OutputPresenceMessage>;
  let accountData: Collector<OutputAccountDataMessage>;

  const as = (u: TestUser) => ({
    post: (path: string, body: unknown = {}) => s.call('POST', V3 + path, { token: u.accessToken, body }),
    put: (path: string, body: unknown = {}) => s.call('PUT', V3 + path, { token: u.accessToken, body }),
    get: (path: string) => s.call('GET', V3 + path, { token: u.accessToken }),
  });
  const send = async (u: TestUser, room: string, txn: string) =>
    String(ok(await as(u).put(`/rooms/${enc(room)}/send/m.room.message/${txn}`, { msgtype: 'm.text', body: txn })).event_id);

  before(async () => {
    s = await startClientTestServer();
    [alice, bob, carol] = [await s.register('alice'), await s.register('bob'), await s.register('carol')];
    roomId = String(ok(await as(alice).post('/createRoom', { preset: 'public_chat' })).room_id);
    ok(await as(bob).post(`/join/${enc(roomId)}`));
    e1 = await send(alice, roomId, 't1');
    e2 = await send(alice, roomId, 't2');
    inThread = String(
      ok(await as(alice).put(`/rooms/${enc(roomId)}/send/m.room.message/t-thread`, { msgtype: 'm.text', body: 'in thread', 'm.relates_to': { rel_type: 'm.thread', event_id: e1 } })).event_id,
    );
    reaction = String(ok(await as(alice).put(`/rooms/${enc(roomId)}/send/m.reaction/t-react`, { 'm.relates_to': { rel_type: 'm.annotation', event_id: inThread, key: '👍' } })).event_id);
    otherRoomId = String(ok(await as(carol).post('/createRoom', { preset: 'private_chat' })).room_id);
    otherEvent = await send(carol, otherRoomId, 't3');
    typing = await collect(s.bus, OutputTypingEvent, 'test-typing');
    receipts = await collect(s.bus, OutputReceiptEvent, 'test-receipts');
    presence = await collect(s.bus, OutputPresenceEvent, 'test-presence');
    accountData = await collect(s.bus, OutputAccountData, 'test-account-data');
  });
  after(async () => {
    for (const c of [typing, receipts, presence, accountData]) await c?.stop();
    await s?.stop();
  });

  describe('PUT /rooms/{roomId}/typing/{userId}', () => {
    const path = (room: string, u: TestUser) => `/rooms/${enc(room)}/typing/${enc(u.userId)}`;

    it('publishes typing with the asked timeout, the default, the cap, and 0 when stopping', async () => {
      const t0 = Date.now();
      assert.deepEqual(ok(await as(alice).put(path(roomId, alice), { typing: true, timeout: 10_000 })), {});
      const m = await typing.take((x) => x.userId === alice.userId);
      assert.ok(m.ts >= t0 && m.ts <= Date.now(), 'ts is the time of the request');
      assert.deepEqual(m, { type: 'typing', roomId, userId: alice.userId, typing: true, timeoutMs: 10_000, ts: m.ts });

      ok(await as(alice).put(path(roomId, alice), { typing: true }));
      ok(await as(alice).put(path(roomId, alice), { typing: true, timeout: 3_600_000 }));
      ok(await as(alice).put(path(roomId, alice), { typing: false, timeout: 5_000 }));
      const next = [];
      for (let i = 0; i < 3; i++) next.push(await typing.take((x) => x.userId === alice.userId));
      assert.deepEqual(next.map((x) => [x.typing, x.timeoutMs]), [[true, 30_000], [true, 120_000], [false, 0]]);
    });

    it("refuses another user's typing, non-members, bad bodies and bad rooms", async () => {
      err(await as(alice).put(path(roomId, bob), { typing: true }), 403, 'M_FORBIDDEN');
      err(await as(carol).put(path(roomId, carol), { typing: true }), 403, 'M_FORBIDDEN');
      err(await as(alice).put(path(roomId, alice), { typing: 'yes' }), 400, 'M_BAD_JSON');
      err(await as(alice).put(path(roomId, alice), { typing: true, timeout: -1 }), 400, 'M_BAD_JSON');
      err(await as(alice).put(path(roomId, alice), {}), 400, 'M_MISSING_PARAM');
      err(await as(alice).put(path('not-a-room', alice), { typing: true }), 400, 'M_INVALID_PARAM');
      err(await as(alice).put(path(`!unknown:${SERVER_NAME}`, alice), { typing: true }), 404, 'M_NOT_FOUND');
      err(await s.call('PUT', V3 + path(roomId, alice), { body: { typing: true } }), 401, 'M_MISSING_TOKEN');
      // Nothing of the refused requests reached the topic.
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(typing.rest, []);
    });
  });

  describe('POST /rooms/{roomId}/receipt/{receiptType}/{eventId}', () => {
    const path = (room: string, type: string, eventId: string) => `/rooms/${enc(room)}/receipt/${enc(type)}/${enc(eventId)}`;

    it('publishes m.read (unthreaded) and m.read.private (threaded) receipts', async () => {
      const t0 = Date.now();
      assert.deepEqual(ok(await as(bob).post(path(roomId, 'm.read', e1), {})), {});
      const m = await receipts.take((x) => x.userId === bob.userId);
      assert.ok(m.ts >= t0 && m.ts <= Date.now());
      assert.deepEqual(m, { type: 'receipt', roomId, userId: bob.userId, eventId: e1, receiptType: 'm.read', threadId: null, ts: m.ts });

      ok(await as(bob).post(path(roomId, 'm.read.private', e2), { thread_id: 'main' }));
      ok(await as(bob).post(path(roomId, 'm.read', inThread), { thread_id: e1 }));
      ok(await as(bob).post(path(roomId, 'm.read', reaction), { thread_id: e1 }));
      // The root itself is on the main timeline (v1.19).
      ok(await as(bob).post(path(roomId, 'm.read', e1), { thread_id: 'main' }));
      const got = [];
      for (let i = 0; i < 4; i++) got.push(await receipts.take((x) => x.userId === bob.userId));
      assert.deepEqual(
        got.map((r) => [r.receiptType, r.eventId, r.threadId]),
        [
          ['m.read.private', e2, 'main'],
          ['m.read', inThread, e1],
          ['m.read', reaction, e1],
          ['m.read', e1, 'main'],
        ],
      );
    });

    it('sets m.fully_read as room account data, not as a receipt', async () => {
      ok(await as(bob).post(path(roomId, 'm.fully_read', e1), {}));
      assert.deepEqual(ok(await as(bob).get(`/user/${enc(bob.userId)}/rooms/${enc(roomId)}/account_data/m.fully_read`)), { event_id: e1 });
      const m = await accountData.take((x) => x.userId === bob.userId && x.dataType === 'm.fully_read');
      assert.equal(m.roomId, roomId);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(receipts.rest.filter((x) => x.userId === bob.userId), []);
    });

    it('refuses bad receipt types and thread IDs, unknown events, events of other rooms and non-members', async () => {
      err(await as(bob).post(path(roomId, 'm.bogus', e1), {}), 400, 'M_INVALID_PARAM');
      err(await as(bob).post(path(roomId, 'm.read', 'not-an-event'), {}), 400, 'M_INVALID_PARAM');
      err(await as(bob).post(path(roomId, 'm.fully_read', e1), { thread_id: 'main' }), 400, 'M_INVALID_PARAM');
      err(await as(bob).post(path(roomId, 'm.read', e1), { thread_id: '' }), 400, 'M_INVALID_PARAM');
      err(await as(bob).post(path(roomId, 'm.read', e1), { thread_id: 5 }), 400, 'M_INVALID_PARAM');
      err(await as(bob).post(path(roomId, 'm.read', e1), { thread_id: 'sideline' }), 400, 'M_INVALID_PARAM');
      // An event of another thread than the one named.
      err(await as(bob).post(path(roomId, 'm.read', e2), { thread_id: e1 }), 400, 'M_INVALID_PARAM');
      err(await as(bob).post(path(roomId, 'm.read', inThread), { thread_id: 'main' }), 400, 'M_INVALID_PARAM');
      err(await as(bob).post(path(roomId, 'm.read.private', reaction), { thread_id: e2 }), 400, 'M_INVALID_PARAM');
      err(await as(bob).post(path(roomId, 'm.read', `$unknown:${SERVER_NAME}`), {}), 404, 'M_NOT_FOUND');
      err(await as(bob).post(path(roomId, 'm.read', otherEvent), {}), 404, 'M_NOT_FOUND');
      err(await as(carol).post(path(roomId, 'm.read', e1), {}), 403, 'M_FORBIDDEN');
      err(await as(bob).post(path(`!unknown:${SERVER_NAME}`, 'm.read', e1), {}), 404, 'M_NOT_FOUND');
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(receipts.rest, []);
    });
  });

  describe('POST /rooms/{roomId}/read_markers', () => {
    const path = (room: string) => `/rooms/${enc(room)}/read_markers`;
    const fullyRead = async (u: TestUser) => as(u).get(`/user/${enc(u.userId)}/rooms/${enc(roomId)}/account_data/m.fully_read`);

    it('moves the fully-read marker and both receipts in one request', async () => {
      assert.deepEqual(ok(await as(alice).post(path(roomId), { 'm.fully_read': e2, 'm.read': e2, 'm.read.private': e1 })), {});
      assert.deepEqual(ok(await fullyRead(alice)), { event_id: e2 });
      const a = await receipts.take((x) => x.userId === alice.userId);
      const b = await receipts.take((x) => x.userId === alice.userId);
      assert.deepEqual(
        [a, b].map((x) => [x.receiptType, x.eventId, x.threadId, x.roomId]).sort(),
        [['m.read', e2, null, roomId], ['m.read.private', e1, null, roomId]],
      );
      await accountData.take((x) => x.userId === alice.userId && x.dataType === 'm.fully_read' && x.roomId === roomId);
      // Everything is optional: an empty body changes nothing.
      assert.deepEqual(ok(await as(alice).post(path(roomId), {})), {});
    });

    it('changes nothing when one event is unknown, and refuses bad values and non-members', async () => {
      err(await as(alice).post(path(roomId), { 'm.fully_read': e1, 'm.read': `$unknown:${SERVER_NAME}` }), 404, 'M_NOT_FOUND');
      assert.deepEqual(ok(await fullyRead(alice)), { event_id: e2 }, 'the marker did not move');
      err(await as(alice).post(path(roomId), { 'm.read': 5 }), 400, 'M_BAD_JSON');
      err(await as(alice).post(path(roomId), { 'm.fully_read': 'nope' }), 400, 'M_INVALID_PARAM');
      err(await as(carol).post(path(roomId), { 'm.fully_read': e1 }), 403, 'M_FORBIDDEN');
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(receipts.rest, []);
    });
  });

  describe('GET/PUT /presence/{userId}/status', () => {
    const path = (userId: string) => `/presence/${enc(userId)}/status`;

    it('reads offline before anything is set, then what the user set', async () => {
      assert.deepEqual(ok(await as(alice).get(path(alice.userId))), { presence: 'offline' });
      assert.deepEqual(ok(await as(alice).put(path(alice.userId), { presence: 'online', status_msg: 'hi' })), {});
      const mine = ok(await as(alice).get(path(alice.userId)));
      assert.equal(typeof mine.last_active_ago, 'number');
      assert.ok((mine.last_active_ago as number) < 5_000);
      assert.deepEqual(mine, { presence: 'online', status_msg: 'hi', currently_active: true, last_active_ago: mine.last_active_ago });
      const m = await presence.take((x) => x.userId === alice.userId);
      assert.deepEqual(m, {
        type: 'presence', userId: alice.userId, presence: 'online', statusMsg: 'hi', lastActiveTs: m.lastActiveTs, currentlyActive: true, streamPosition: m.streamPosition,
      });
      assert.ok(m.streamPosition >= 1);

      ok(await as(alice).put(path(alice.userId), { presence: 'unavailable' }));
      const idle = ok(await as(alice).get(path(alice.userId)));
      assert.deepEqual(Object.keys(idle).sort(), ['last_active_ago', 'presence']);
      assert.equal(idle.presence, 'unavailable');
      const m2 = await presence.take((x) => x.userId === alice.userId);
      assert.deepEqual([m2.presence, m2.statusMsg, m2.lastActiveTs, m2.streamPosition], ['unavailable', null, m.lastActiveTs, m.streamPosition + 1]);
    });

    it('lets users who share a room read each other, and nobody else', async () => {
      ok(await as(alice).put(path(alice.userId), { presence: 'online', status_msg: 'back' }));
      const seen = ok(await as(bob).get(path(alice.userId)));
      assert.deepEqual([seen.presence, seen.status_msg], ['online', 'back']);
      err(await as(carol).get(path(alice.userId)), 403, 'M_FORBIDDEN');
      err(await as(carol).get(path('@someone:elsewhere.example')), 403, 'M_FORBIDDEN');
      err(await as(alice).get(path(`@nobody:${SERVER_NAME}`)), 404, 'M_NOT_FOUND');
      err(await as(alice).get(path('not-a-user')), 400, 'M_INVALID_PARAM');
      // Bob never set presence: offline, to a user he shares a room with.
      assert.deepEqual(ok(await as(alice).get(path(bob.userId))), { presence: 'offline' });
    });

    it("refuses setting another user's presence and unknown states", async () => {
      err(await as(alice).put(path(bob.userId), { presence: 'online' }), 403, 'M_FORBIDDEN');
      err(await as(alice).put(path(alice.userId), { presence: 'busy' }), 400, 'M_INVALID_PARAM');
      err(await as(alice).put(path(alice.userId), { status_msg: 'x' }), 400, 'M_MISSING_PARAM');
      err(await as(alice).put(path(alice.userId), { presence: 'online', status_msg: 5 }), 400, 'M_BAD_JSON');
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(presence.rest.filter((x) => x.userId !== alice.userId || x.statusMsg !== 'back'), []);
    });
  });
});

describe('ephemeral: presence disabled', () => {
  let s: ClientTestServer;
  let dan: TestUser;
  let presence: Collector<OutputPresenceMessage>;
  before(async () => {
    s = await startClientTestServer({ presence: { enabled: false } });
    dan = await s.register('dan');
    presence = await collect(s.bus, OutputPresenceEvent, 'test-presence-off');
  });
  after(async () => {
    await presence?.stop();
    await s?.stop();
  });

  it('accepts and drops updates, and reads everyone as offline', async () => {
    const path = `${V3}/presence/${enc(dan.userId)}/status`;
    assert.deepEqual(ok(await s.call('PUT', path, { token: dan.accessToken, body: { presence: 'online', status_msg: 'hi' } })), {});
    assert.deepEqual(ok(await s.call('GET', path, { token: dan.accessToken })), { presence: 'offline' });
    err(await s.call('PUT', path, { token: dan.accessToken, body: { presence: 'busy' } }), 400, 'M_INVALID_PARAM');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(presence.rest, []);
  });
});
