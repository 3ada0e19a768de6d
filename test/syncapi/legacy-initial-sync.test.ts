/**
 * The legacy `GET /initialSync` and `GET /rooms/{roomId}/initialSync` over real HTTP against an
 * in-process monolith: the shape with exact values (membership, the latest `limit` messages and
 * `/messages` paging back from `start` over exactly the rest of the room, the current state as the
 * roomserver has it, directory visibility public and private, room and global account data,
 * presence, receipts), invites, rooms left (`archived=true`, forgotten ones gone), a room as its
 * former member left it, peeking into a world-readable room (history visibility per event, no
 * membership, `messages.end` feeding a guest's `/events?room_id=`) against 403 for a private one,
 * `end` feeding `/events`, and bad parameters.
 *
 * The syncapi consumes the roomserver's output asynchronously: tests wait (`settle`) until the
 * last event they sent is readable before asserting on a snapshot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SHARED_SECRET, startClientTestServer, type ClientTestServer, type Res, type TestUser, userCalls } from '../clientapi/client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

type Ev = { type: string; room_id?: string; state_key?: string; sender?: string; event_id: string; content: Record<string, unknown>; unsigned?: Record<string, unknown> };
type Plain = { type: string; content: Record<string, unknown>; room_id?: string };
interface Messages {
  chunk: Ev[];
  start: string;
  end: string;
}
interface RoomInfo {
  room_id: string;
  membership?: string;
  invite?: Ev;
  messages?: Messages;
  state?: Ev[];
  visibility: string;
  account_data: Plain[];
  presence?: Plain[];
  receipts?: Plain[];
}
interface InitialSync {
  end: string;
  rooms: RoomInfo[];
  presence: Plain[];
  account_data: Plain[];
  receipts: Plain[];
}

describe('syncapi: legacy /initialSync and /rooms/{roomId}/initialSync', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let dave: TestUser;
  let one: string;
  let two: string;
  const sent: string[] = [];
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, guests: true, shared_secret: SHARED_SECRET } });
    [alice, bob, carol, dave] = [await s.register('alice'), await s.register('bob'), await s.register('carol'), await s.register('dave')];
    one = await create(alice, { preset: 'public_chat', visibility: 'public', name: 'Room one' });
    for (let i = 1; i <= 5; i++) sent.push(await send(alice, one, `m${i}`));
    two = await create(alice, { preset: 'private_chat', invite: [bob.userId] });
    ok(await put(alice, `/user/${enc(alice.userId)}/rooms/${enc(one)}/tags/u.fav`, { order: 1 }));
    ok(await put(alice, `/user/${enc(alice.userId)}/account_data/org.example.cfg`, { k: 'v' }));
    await settle(alice, two, await send(alice, two, 'in two'));
    await settle(alice, one, sent.at(-1)!);
  });
  after(() => s.stop());

  const { ok, post, put, create } = userCalls(() => s);
  let txn = 0;
  const send = async (u: TestUser, roomId: string, body: string): Promise<string> =>
    String(ok(await put(u, `/rooms/${enc(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body })).event_id);
  const get = (u: TestUser, path: string): Promise<Res> => s.call('GET', V3 + path, { token: u.accessToken });
  const initialSync = async (u: TestUser, qs = ''): Promise<InitialSync> => ok(await get(u, `/initialSync${qs}`)) as unknown as InitialSync;
  const roomSync = async (u: TestUser, roomId: string, qs = ''): Promise<RoomInfo> => ok(await get(u, `/rooms/${enc(roomId)}/initialSync${qs}`)) as unknown as RoomInfo;
  const settle = async (u: TestUser, roomId: string, eventId: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await get(u, `/rooms/${enc(roomId)}/messages?dir=b&limit=1`);
      if (res.status === 200 && (res.body.chunk as Ev[])[0]?.event_id === eventId) return;
      assert.ok(Date.now() < deadline, `${eventId} never reached the syncapi`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  /** Retries `read` until `done` holds (a consumer writing receipts or presence has caught up). */
  const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const v = await read();
      if (done(v)) return v;
      assert.ok(Date.now() < deadline, `never satisfied; last: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const roomOf = (body: InitialSync, roomId: string) => body.rooms.find((r) => r.room_id === roomId);
  const label = (e: Ev) => (e.type === 'm.room.message' ? String(e.content.body) : `${e.type}|${e.state_key ?? ''}`);
  /** Every event of the room `u` can page back from `from` (the present when absent), newest first. */
  const pageBack = async (u: TestUser, roomId: string, from?: string): Promise<Ev[]> => {
    const out: Ev[] = [];
    let token = from;
    for (let i = 0; i < 100; i++) {
      const page = ok(await get(u, `/rooms/${enc(roomId)}/messages?dir=b&limit=4${token === undefined ? '' : `&from=${enc(token)}`}`)) as unknown as { chunk: Ev[]; end?: string };
      out.push(...page.chunk);
      if (page.end === undefined) return out;
      token = page.end;
    }
    assert.fail('paging never ended');
  };
  const stateIds = async (u: TestUser, roomId: string): Promise<string[]> => ((ok(await get(u, `/rooms/${enc(roomId)}/state`)) as unknown as Ev[]).map((e) => e.event_id)).sort();

  it('lists the joined rooms with their latest messages, current state, visibility and account data', async () => {
    const body = await initialSync(alice, '?limit=3');
    assert.match(body.end, /^s\d+(_\d+){8}$/);
    assert.deepEqual(body.rooms.map((r) => r.room_id).sort(), [one, two].sort());
    const room = roomOf(body, one)!;
    assert.deepEqual([room.membership, room.visibility, room.invite], ['join', 'public', undefined]);
    assert.deepEqual(room.messages!.chunk.map(label), ['m3', 'm4', 'm5']);
    assert.deepEqual(room.messages!.chunk.map((e) => e.event_id), sent.slice(2));
    for (const e of room.messages!.chunk) assert.deepEqual([e.room_id, typeof e.unsigned?.age], [one, 'number']);
    assert.match(room.messages!.start, /^t\d+_\d+$/);
    assert.equal(room.messages!.end, body.end);
    // `start` pages back over exactly the rest of the room.
    const all = await pageBack(alice, one);
    assert.deepEqual((await pageBack(alice, one, room.messages!.start)).map((e) => e.event_id), all.slice(3).map((e) => e.event_id));
    assert.deepEqual(all.slice(3, 5).map(label), ['m2', 'm1']);
    assert.deepEqual(room.state!.map((e) => e.event_id).sort(), await stateIds(alice, one));
    for (const e of room.state!) assert.equal(e.room_id, one);
    assert.equal(room.state!.find((e) => e.type === 'm.room.name')!.content.name, 'Room one');
    assert.equal(room.state!.find((e) => e.type === 'm.room.member' && e.state_key === alice.userId)!.content.membership, 'join');
    assert.deepEqual(room.account_data, [{ type: 'm.tag', content: { tags: { 'u.fav': { order: 1 } } } }]);
    const other = roomOf(body, two)!;
    assert.deepEqual([other.membership, other.visibility, other.account_data], ['join', 'private', []]);
    assert.deepEqual(other.messages!.chunk.map(label).slice(-1), ['in two']);
    assert.ok(body.account_data.some((e) => e.type === 'org.example.cfg' && e.content.k === 'v'));
    assert.ok(body.account_data.every((e) => e.type !== 'm.tag'));
    assert.deepEqual([Array.isArray(body.presence), Array.isArray(body.receipts)], [true, true]);
  });

  it('limit=0 gives no messages, and start then pages back from the present', async () => {
    const room = roomOf(await initialSync(alice, '?limit=0'), one)!;
    assert.deepEqual(room.messages!.chunk, []);
    const page = ok(await get(alice, `/rooms/${enc(one)}/messages?dir=b&limit=1&from=${enc(room.messages!.start)}`)) as unknown as { chunk: Ev[] };
    assert.deepEqual(page.chunk.map((e) => e.event_id), [sent.at(-1)]);
  });

  it('shows an invite with its invite event and no messages or state', async () => {
    const body = await initialSync(bob);
    const room = roomOf(body, two)!;
    assert.deepEqual(Object.keys(room).sort(), ['account_data', 'invite', 'membership', 'room_id', 'visibility']);
    assert.deepEqual([room.membership, room.visibility, room.account_data], ['invite', 'private', []]);
    const invite = room.invite!;
    assert.deepEqual([invite.type, invite.room_id, invite.state_key, invite.sender, invite.content.membership], ['m.room.member', two, bob.userId, alice.userId, 'invite']);
    assert.equal(roomOf(body, one), undefined);
  });

  it('end feeds /events: nothing until something new, then that', async () => {
    const { end } = await initialSync(alice);
    const quiet = ok(await get(alice, `/events?from=${enc(end)}&timeout=0`));
    assert.deepEqual(quiet, { start: end, end, chunk: [] });
    const eventId = await send(alice, two, 'after initialSync');
    const next = ok(await get(alice, `/events?from=${enc(end)}&timeout=5000`)) as unknown as { chunk: Ev[] };
    assert.deepEqual(next.chunk.map((e) => e.event_id), [eventId]);
  });

  it('carries the user’s presence (v1 shape) and each joined room’s latest receipts', async () => {
    ok(await put(alice, `/presence/${enc(alice.userId)}/status`, { presence: 'online', status_msg: 'legacy' }));
    ok(await post(alice, `/rooms/${enc(one)}/receipt/m.read/${enc(sent.at(-1)!)}`, {}));
    const body = await until(
      () => initialSync(alice),
      (b) => b.presence.some((p) => p.content.user_id === alice.userId) && b.receipts.some((r) => r.room_id === one),
    );
    const p = body.presence.find((e) => e.content.user_id === alice.userId)!;
    assert.deepEqual([p.type, p.content.presence, p.content.status_msg], ['m.presence', 'online', 'legacy']);
    const receipt = body.receipts.find((r) => r.room_id === one)!;
    assert.equal(receipt.type, 'm.receipt');
    assert.deepEqual(Object.keys(((receipt.content[sent.at(-1)!] as Record<string, Record<string, unknown>>)['m.read'])!), [alice.userId]);
    const room = await roomSync(alice, one);
    assert.ok(room.presence!.some((e) => e.content.user_id === alice.userId));
    assert.deepEqual(room.receipts!.map((r) => r.room_id), [one]);
  });

  describe('a room the user left', () => {
    before(async () => {
      ok(await post(carol, `/rooms/${enc(one)}/join`));
      await send(carol, one, 'c1');
      ok(await post(carol, `/rooms/${enc(one)}/leave`));
      await send(alice, one, 'after carol');
      ok(await put(alice, `/rooms/${enc(one)}/state/m.room.name/`, { name: 'Renamed' }));
      await settle(alice, one, await send(alice, one, 'last'));
    });

    it('is listed only with archived=true, as the user left it', async () => {
      assert.equal(roomOf(await initialSync(carol), one), undefined);
      const room = roomOf(await initialSync(carol, '?archived=true&limit=2'), one)!;
      assert.deepEqual([room.membership, room.visibility], ['leave', 'public']);
      assert.deepEqual(room.messages!.chunk.map(label), ['c1', `m.room.member|${carol.userId}`]);
      assert.equal(room.messages!.chunk[1]!.content.membership, 'leave');
      assert.equal(room.state!.find((e) => e.type === 'm.room.name')!.content.name, 'Room one');
      assert.equal(room.state!.find((e) => e.type === 'm.room.member' && e.state_key === carol.userId)!.content.membership, 'leave');
      // /messages forwards from `end` has nothing more for her.
      const later = ok(await get(carol, `/rooms/${enc(one)}/messages?dir=f&from=${enc(room.messages!.end)}`)) as unknown as { chunk: Ev[] };
      assert.deepEqual(later.chunk, []);
    });

    it('its room initialSync shows it as she left it, without presence or receipts', async () => {
      const room = await roomSync(carol, one, '?limit=2');
      assert.deepEqual([room.room_id, room.membership, room.visibility], [one, 'leave', 'public']);
      assert.deepEqual(room.messages!.chunk.map(label), ['c1', `m.room.member|${carol.userId}`]);
      assert.equal(room.state!.find((e) => e.type === 'm.room.name')!.content.name, 'Room one');
      assert.deepEqual([room.presence, room.receipts, room.account_data], [[], [], []]);
    });

    it('is gone from archived=true once forgotten', async () => {
      ok(await post(carol, `/rooms/${enc(one)}/forget`, {}));
      assert.equal(roomOf(await initialSync(carol, '?archived=true'), one), undefined);
    });
  });

  it('a room initialSync for a member: membership, messages, current state, visibility, account data', async () => {
    const room = await roomSync(alice, one, '?limit=2');
    assert.deepEqual([room.room_id, room.membership, room.visibility], [one, 'join', 'public']);
    assert.deepEqual(room.messages!.chunk.map(label), ['m.room.name|', 'last']);
    assert.deepEqual(room.state!.map((e) => e.event_id).sort(), await stateIds(alice, one));
    assert.equal(room.state!.find((e) => e.type === 'm.room.name')!.content.name, 'Renamed');
    assert.deepEqual(room.account_data, [{ type: 'm.tag', content: { tags: { 'u.fav': { order: 1 } } } }]);
    const back = ok(await get(alice, `/rooms/${enc(one)}/messages?dir=b&limit=1&from=${enc(room.messages!.start)}`)) as unknown as { chunk: Ev[] };
    assert.deepEqual(back.chunk.map(label), ['after carol']);
  });

  describe('peeking', () => {
    let open: string;
    let guest: TestUser;
    before(async () => {
      open = await create(alice, { preset: 'public_chat' });
      await send(alice, open, 'private');
      ok(await put(alice, `/rooms/${enc(open)}/state/m.room.history_visibility/`, { history_visibility: 'world_readable' }));
      await settle(alice, open, await send(alice, open, 'public'));
      const g = ok(await s.call('POST', `${V3}/register?kind=guest`, { body: {} }));
      guest = { userId: String(g.user_id), accessToken: String(g.access_token), deviceId: String(g.device_id), password: '' };
    });

    it('a stranger sees a world-readable room as history visibility lets them, without membership', async () => {
      const room = await roomSync(dave, open);
      assert.equal('membership' in room, false);
      assert.deepEqual(room.messages!.chunk.map(label), ['m.room.history_visibility|', 'public']);
      assert.equal(room.messages!.chunk[0]!.content.history_visibility, 'world_readable');
      assert.deepEqual(room.state!.map((e) => e.event_id).sort(), await stateIds(alice, open));
      assert.equal(room.visibility, 'private');
    });

    it('a private room is 403 M_FORBIDDEN to a stranger and to the invited', async () => {
      for (const u of [dave, bob]) {
        const res = await get(u, `/rooms/${enc(two)}/initialSync`);
        assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN']);
      }
    });

    it('a guest peeks, then follows the room with /events?room_id= from messages.end', async () => {
      const room = await roomSync(guest, open);
      assert.deepEqual(room.messages!.chunk.map(label), ['m.room.history_visibility|', 'public']);
      const from = room.messages!.end;
      const quiet = ok(await get(guest, `/events?room_id=${enc(open)}&from=${enc(from)}&timeout=0`));
      assert.deepEqual(quiet, { start: from, end: from, chunk: [] });
      const eventId = await send(alice, open, 'live');
      const next = ok(await get(guest, `/events?room_id=${enc(open)}&from=${enc(from)}&timeout=5000`)) as unknown as { chunk: Ev[] };
      assert.deepEqual(next.chunk.map((e) => [e.event_id, e.content.body]), [[eventId, 'live']]);
    });
  });

  it('rejects bad parameters and guests on the global form', async () => {
    for (const qs of ['?limit=-1', '?limit=lots', '?archived=maybe']) {
      const res = await get(alice, `/initialSync${qs}`);
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_INVALID_PARAM'], qs);
    }
    const res = await get(alice, `/rooms/${enc(one)}/initialSync?limit=-3`);
    assert.deepEqual([res.status, res.body.errcode], [400, 'M_INVALID_PARAM']);
    const g = ok(await s.call('POST', `${V3}/register?kind=guest`, { body: {} }));
    const guestRes = await s.call('GET', `${V3}/initialSync`, { token: String(g.access_token) });
    assert.deepEqual([guestRes.status, guestRes.body.errcode], [403, 'M_GUEST_ACCESS_FORBIDDEN']);
  });
});
