/**
 * Typing, receipts and presence in `GET /sync` over real HTTP against an in-process monolith:
 * `m.typing` in the other members' syncs until the typing stops or times out (the timeout itself
 * wakes a long-poll), `m.receipt` in the spec's shape with `thread_id` kept and `m.read.private`
 * for its owner only, `m.presence` of room-mates after `PUT /presence` and after `set_presence`,
 * never of strangers, and long-polls woken by each.
 *
 * Every sync here passes `set_presence=offline` (which leaves presence alone) unless a test sets
 * it, so that presence changes only when a test makes it change.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Subscription } from '../../src/internal/bus/bus.js';
import { OutputPresenceEvent, type OutputPresenceMessage } from '../../src/userapi/producers/output-presence.js';
import { startClientTestServer, type ClientTestServer, type TestUser, userCalls } from '../clientapi/client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

type Ephemeral = { type: string; content: Record<string, unknown> };
type Presence = { type: string; sender: string; content: Record<string, unknown> };
interface SyncBody {
  next_batch: string;
  rooms: { join: Record<string, { ephemeral: { events: Ephemeral[] }; timeline: { events: Array<{ event_id: string }> } }> };
  presence: { events: Presence[] };
}
/** Query parameters; an undefined value leaves the parameter out. */
type Params = Record<string, string | number | undefined>;

describe('syncapi: typing, receipts and presence in /sync', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  /** Alice's room, which Bob joined; Carol is in a room of her own. */
  let roomId: string;
  let carolRoom: string;
  /** Every presence change the userapi announced, as `user state`. */
  const announced: string[] = [];
  let presenceSub: Subscription;

  const { ok, post, put } = userCalls(() => s);
  const sync = async (u: TestUser, params: Params = {}): Promise<SyncBody> => {
    const all: Params = { set_presence: 'offline', ...params };
    const entries = Object.entries(all).filter((e): e is [string, string | number] => e[1] !== undefined);
    const qs = new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)]));
    return ok(await s.call('GET', `${V3}/sync?${qs.toString()}`, { token: u.accessToken })) as unknown as SyncBody;
  };
  /** Syncs from the same `since` until `done` holds (the consumers have caught up). */
  const syncUntil = async (u: TestUser, params: Params, done: (b: SyncBody) => boolean): Promise<SyncBody> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = await sync(u, params);
      if (done(body)) return body;
      if (Date.now() > deadline) assert.fail(`sync never satisfied the condition; last: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const ephemeral = (b: SyncBody, type: string, room = roomId): Ephemeral[] => (b.rooms.join[room]?.ephemeral.events ?? []).filter((e) => e.type === type);
  const hasEphemeral = (type: string, room = roomId) => (b: SyncBody) => ephemeral(b, type, room).length > 0;
  const typing = (u: TestUser, isTyping: boolean, timeout?: number) =>
    put(u, `/rooms/${enc(roomId)}/typing/${enc(u.userId)}`, timeout === undefined ? { typing: isTyping } : { typing: isTyping, timeout });
  const presenceOf = (b: SyncBody, u: TestUser) => b.presence.events.filter((e) => e.sender === u.userId);
  let txn = 0;
  const send = async (u: TestUser, body: string): Promise<string> =>
    String(ok(await put(u, `/rooms/${enc(roomId)}/send/m.room.message/e${++txn}`, { msgtype: 'm.text', body })).event_id);
  /** The current token of `u`, once the syncapi has `eventId` (so later changes are what the next sync gets). */
  const tokenAfter = async (u: TestUser, eventId: string): Promise<string> =>
    (await syncUntil(u, {}, (b) => Object.values(b.rooms.join).some((r) => r.timeline.events.some((e) => e.event_id === eventId)))).next_batch;

  before(async () => {
    s = await startClientTestServer();
    [alice, bob, carol] = [await s.register('alice'), await s.register('bob'), await s.register('carol')];
    roomId = String(ok(await post(alice, '/createRoom', { preset: 'public_chat' })).room_id);
    ok(await post(bob, `/join/${enc(roomId)}`));
    carolRoom = String(ok(await post(carol, '/createRoom', {})).room_id);
    presenceSub = await s.bus.subscribe<OutputPresenceMessage>({
      topic: OutputPresenceEvent,
      consumer: 'test-presence',
      handler: async (m) => void announced.push(`${m.payload.userId} ${m.payload.presence}`),
    });
  });
  after(async () => {
    await presenceSub.stop();
    await s.stop();
  });

  describe('typing', () => {
    it("appears in the other member's sync and in an initial sync, then an empty list once it stops; a stranger sees nothing", async () => {
      const since = await tokenAfter(bob, await send(alice, 'before typing'));
      const carolSince = (await syncUntil(carol, {}, (b) => b.rooms.join[carolRoom] !== undefined)).next_batch;
      ok(await typing(alice, true, 30_000));
      const started = await syncUntil(bob, { since }, hasEphemeral('m.typing'));
      assert.deepEqual(started.rooms.join[roomId]!.ephemeral.events, [{ type: 'm.typing', content: { user_ids: [alice.userId] } }]);
      assert.match(started.next_batch, /^s\d+_[1-9]\d*_/);
      assert.deepEqual(ephemeral(await sync(bob), 'm.typing'), [{ type: 'm.typing', content: { user_ids: [alice.userId] } }]);
      // Nothing new since: no room at all.
      assert.deepEqual((await sync(bob, { since: started.next_batch })).rooms.join, {});

      ok(await typing(alice, false));
      const stopped = await syncUntil(bob, { since: started.next_batch }, hasEphemeral('m.typing'));
      assert.deepEqual(ephemeral(stopped, 'm.typing'), [{ type: 'm.typing', content: { user_ids: [] } }]);
      assert.deepEqual(ephemeral(await sync(bob), 'm.typing'), [], 'an initial sync leaves out rooms where nobody types');
      assert.deepEqual((await sync(carol, { since: carolSince })).rooms.join, {});
    });

    it('ends by itself after its timeout, which wakes a long-poll', async () => {
      const since = await tokenAfter(bob, await send(alice, 'short typing'));
      ok(await typing(alice, true, 800));
      const started = await syncUntil(bob, { since }, hasEphemeral('m.typing'));
      assert.deepEqual(ephemeral(started, 'm.typing'), [{ type: 'm.typing', content: { user_ids: [alice.userId] } }]);
      const t0 = Date.now();
      const ended = await sync(bob, { since: started.next_batch, timeout: 10_000 });
      const elapsed = Date.now() - t0;
      assert.deepEqual(ephemeral(ended, 'm.typing'), [{ type: 'm.typing', content: { user_ids: [] } }]);
      assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
    });

    it('wakes a long-poll of another member', async () => {
      const since = await tokenAfter(bob, await send(alice, 'wake by typing'));
      const t0 = Date.now();
      const poll = sync(bob, { since, timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 300));
      ok(await typing(alice, true, 30_000));
      const woken = await poll;
      assert.ok(Date.now() - t0 < 5_000, `took ${Date.now() - t0} ms`);
      assert.deepEqual(ephemeral(woken, 'm.typing'), [{ type: 'm.typing', content: { user_ids: [alice.userId] } }]);
      ok(await typing(alice, false));
    });
  });

  describe('receipts', () => {
    let eventId: string;
    it('appear in the spec shape with thread_id kept; private ones reach their owner only', async () => {
      eventId = await send(alice, 'read me');
      const aliceSince = await tokenAfter(alice, eventId);
      const bobSince = await tokenAfter(bob, eventId);
      const t0 = Date.now();
      ok(await post(bob, `/rooms/${enc(roomId)}/receipt/m.read/${enc(eventId)}`, { thread_id: 'main' }));
      const seen = await syncUntil(alice, { since: aliceSince }, hasEphemeral('m.receipt'));
      const [receipt] = ephemeral(seen, 'm.receipt');
      const ts = (receipt?.content[eventId] as { 'm.read': Record<string, { ts: number }> } | undefined)?.['m.read'][bob.userId]?.ts;
      assert.ok(typeof ts === 'number' && ts >= t0 && ts <= Date.now(), `ts ${ts}`);
      assert.deepEqual(ephemeral(seen, 'm.receipt'), [{ type: 'm.receipt', content: { [eventId]: { 'm.read': { [bob.userId]: { ts, thread_id: 'main' } } } } }]);

      // Bob's private receipt, then Alice's own public one (same room: stored in that order).
      ok(await post(bob, `/rooms/${enc(roomId)}/receipt/m.read.private/${enc(eventId)}`));
      ok(await post(alice, `/rooms/${enc(roomId)}/receipt/m.read/${enc(eventId)}`));
      const hers = await syncUntil(alice, { since: seen.next_batch }, hasEphemeral('m.receipt'));
      const content = ephemeral(hers, 'm.receipt')[0]!.content as Record<string, Record<string, Record<string, { ts: number; thread_id?: string }>>>;
      assert.deepEqual(Object.keys(content[eventId]!), ['m.read'], 'no m.read.private of Bob');
      assert.deepEqual(Object.keys(content[eventId]!['m.read']!), [alice.userId]);
      assert.equal('thread_id' in content[eventId]!['m.read']![alice.userId]!, false, 'an unthreaded receipt has no thread_id');

      const his = await syncUntil(bob, { since: bobSince }, (b) => JSON.stringify(ephemeral(b, 'm.receipt')).includes(alice.userId));
      const bobContent = ephemeral(his, 'm.receipt')[0]!.content as Record<string, Record<string, Record<string, unknown>>>;
      assert.deepEqual(Object.keys(bobContent[eventId]!).sort(), ['m.read', 'm.read.private']);
      assert.deepEqual(Object.keys(bobContent[eventId]!['m.read.private']!), [bob.userId]);
      assert.deepEqual(Object.keys(bobContent[eventId]!['m.read']!).sort(), [alice.userId, bob.userId].sort());
    });

    it("an initial sync carries the room's latest receipts, the private one only for its owner", async () => {
      const aliceInitial = ephemeral(await sync(alice), 'm.receipt');
      assert.equal(aliceInitial.length, 1);
      const mine = aliceInitial[0]!.content[eventId] as Record<string, Record<string, { ts: number; thread_id?: string }>>;
      assert.deepEqual(Object.keys(mine).sort(), ['m.read']);
      assert.deepEqual(mine['m.read']![bob.userId]!.thread_id, 'main');
      assert.ok(mine['m.read']![alice.userId]);
      const bobs = ephemeral(await sync(bob), 'm.receipt')[0]!.content[eventId] as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(bobs['m.read.private']!), [bob.userId]);
    });

    it('a receipt wakes a long-poll of another member', async () => {
      const next = await send(bob, 'read me too');
      const since = await tokenAfter(alice, next);
      const t0 = Date.now();
      const poll = sync(alice, { since, timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 300));
      ok(await post(bob, `/rooms/${enc(roomId)}/receipt/m.read/${enc(next)}`));
      const woken = await poll;
      assert.ok(Date.now() - t0 < 5_000, `took ${Date.now() - t0} ms`);
      const content = ephemeral(woken, 'm.receipt')[0]?.content as Record<string, Record<string, Record<string, unknown>>> | undefined;
      assert.deepEqual(Object.keys(content ?? {}), [next]);
      assert.deepEqual(Object.keys(content![next]!['m.read']!), [bob.userId]);
    });
  });

  describe('presence', () => {
    it("a room-mate's PUT /presence reaches the other member and themselves, never a stranger", async () => {
      const bobSince = (await sync(bob)).next_batch;
      const carolSince = (await sync(carol)).next_batch;
      ok(await put(alice, `/presence/${enc(alice.userId)}/status`, { presence: 'unavailable', status_msg: 'at lunch' }));
      const seen = await syncUntil(bob, { since: bobSince }, (b) => presenceOf(b, alice).length > 0);
      // Alice was never online in this suite: no last_active_ago.
      assert.deepEqual(presenceOf(seen, alice), [{ type: 'm.presence', sender: alice.userId, content: { presence: 'unavailable', status_msg: 'at lunch' } }]);
      assert.deepEqual(presenceOf(await sync(alice), alice), [{ type: 'm.presence', sender: alice.userId, content: { presence: 'unavailable', status_msg: 'at lunch' } }]);
      assert.deepEqual((await sync(carol, { since: carolSince })).presence.events, []);
      assert.deepEqual(presenceOf(await sync(carol), alice), [], "a stranger's initial sync has none either");
    });

    it('set_presence on /sync changes it once, and the change reaches room-mates', async () => {
      const aliceSince = (await sync(alice)).next_batch;
      const t0 = Date.now();
      await sync(bob, { set_presence: 'online' });
      const seen = await syncUntil(alice, { since: aliceSince }, (b) => presenceOf(b, bob).length > 0);
      const [p] = presenceOf(seen, bob);
      const ago = p?.content.last_active_ago;
      assert.ok(typeof ago === 'number' && ago >= 0 && ago <= Date.now() - t0 + 1000, `last_active_ago ${String(ago)}`);
      assert.deepEqual(p, { type: 'm.presence', sender: bob.userId, content: { presence: 'online', last_active_ago: ago, currently_active: true } });

      // Polling on as online (the default too) changes nothing; unavailable does, and offline leaves it.
      await sync(bob, { set_presence: 'online' });
      await sync(bob, { set_presence: undefined });
      const quiet = await sync(alice, { since: seen.next_batch });
      assert.deepEqual(presenceOf(quiet, bob), []);
      await sync(bob, { set_presence: 'unavailable' });
      await sync(bob, { set_presence: 'offline' });
      const away = await syncUntil(alice, { since: seen.next_batch }, (b) => presenceOf(b, bob).length > 0);
      assert.equal(presenceOf(away, bob)[0]!.content.presence, 'unavailable');
      // The userapi was asked exactly twice (its messages for one user arrive in order).
      assert.deepEqual(
        announced.filter((a) => a.startsWith(`${bob.userId} `)),
        [`${bob.userId} online`, `${bob.userId} unavailable`],
      );
    });

    it('a presence change wakes a long-poll of a room-mate', async () => {
      const since = (await sync(alice)).next_batch;
      const t0 = Date.now();
      const poll = sync(alice, { since, timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 300));
      ok(await put(bob, `/presence/${enc(bob.userId)}/status`, { presence: 'online', status_msg: 'back' }));
      const woken = await poll;
      assert.ok(Date.now() - t0 < 5_000, `took ${Date.now() - t0} ms`);
      assert.deepEqual(
        presenceOf(woken, bob).map((e) => [e.content.presence, e.content.status_msg]),
        [['online', 'back']],
      );
    });
  });

  describe('filters', () => {
    it('room.ephemeral and presence sections leave out what they exclude', async () => {
      const filter = JSON.stringify({ room: { ephemeral: { not_types: ['m.typing'] } }, presence: { not_senders: [bob.userId] } });
      const since = await tokenAfter(alice, await send(bob, 'filtered'));
      ok(await typing(bob, true, 30_000));
      ok(await put(bob, `/presence/${enc(bob.userId)}/status`, { presence: 'unavailable' }));
      ok(await post(bob, `/rooms/${enc(roomId)}/receipt/m.read/${enc(await send(alice, 'last'))}`));
      // Unfiltered, all three arrive …
      const all = await syncUntil(alice, { since }, (b) => hasEphemeral('m.typing')(b) && hasEphemeral('m.receipt')(b) && presenceOf(b, bob).length > 0);
      assert.equal(presenceOf(all, bob).length, 1);
      // … filtered, from the same token, only the receipt.
      const filtered = await sync(alice, { since, filter });
      assert.deepEqual(filtered.rooms.join[roomId]!.ephemeral.events.map((e) => e.type), ['m.receipt']);
      assert.deepEqual(presenceOf(filtered, bob), []);
      ok(await typing(bob, false));
    });
  });
});
