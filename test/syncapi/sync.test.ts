/**
 * `GET /sync` over real HTTP against an in-process monolith: initial and incremental syncs,
 * long-polling (woken by a member's event, not by an unrelated room's), limited timelines with
 * `prev_batch` and a state delta, invites (stripped state) until joined, knocks, leaves and kicks,
 * `transaction_id` echoed to the sending device only, account data, history visibility, redaction,
 * bad tokens and guests.
 *
 * The syncapi consumes the roomserver's output asynchronously, so a test that needs an event to
 * have arrived syncs again from the same `since` until it has (`syncUntil`), then asserts on that
 * response exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SERVER_NAME, SHARED_SECRET, startClientTestServer, type ClientTestServer, type TestUser, userCalls } from '../clientapi/client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

type Ev = { type: string; state_key?: string; sender: string; event_id: string; content: Record<string, unknown>; unsigned?: Record<string, unknown> };
interface Timeline {
  events: Ev[];
  limited: boolean;
  prev_batch?: string;
}
interface JoinedRoom {
  state: { events: Ev[] };
  timeline: Timeline;
  account_data: { events: Array<{ type: string; content: Record<string, unknown> }> };
  summary?: Record<string, unknown>;
  unread_notifications: Record<string, unknown>;
  ephemeral: { events: unknown[] };
}
interface SyncBody {
  next_batch: string;
  rooms: {
    join: Record<string, JoinedRoom>;
    invite: Record<string, { invite_state: { events: Array<Record<string, unknown>> } }>;
    knock: Record<string, unknown>;
    leave: Record<string, { state: { events: Ev[] }; timeline: Timeline }>;
  };
  account_data: { events: Array<{ type: string; content: Record<string, unknown> }> };
  presence: { events: unknown[] };
  to_device: { events: unknown[] };
  device_lists: { changed: string[]; left: string[] };
  device_one_time_keys_count: Record<string, number>;
}

describe('syncapi: /sync', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, guests: true, shared_secret: SHARED_SECRET } });
    [alice, bob, carol] = [await s.register('alice'), await s.register('bob'), await s.register('carol')];
  });
  after(() => s.stop());

  const { ok, post, put, create } = userCalls(() => s);
  let txn = 0;
  const send = async (u: TestUser, roomId: string, body: string, txnId = `t${++txn}`): Promise<string> =>
    String(ok(await put(u, `/rooms/${enc(roomId)}/send/m.room.message/${txnId}`, { msgtype: 'm.text', body })).event_id);
  const sync = async (u: TestUser, params: Record<string, string | number | boolean> = {}): Promise<SyncBody> => {
    // `set_presence=offline` leaves presence alone: a user's first sync would otherwise set them
    // online, and that change wakes their long-polls (presence has its own suite).
    const qs = new URLSearchParams(Object.entries({ set_presence: 'offline', ...params }).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return ok(await s.call('GET', `${V3}/sync${qs ? `?${qs}` : ''}`, { token: u.accessToken })) as unknown as SyncBody;
  };
  /** Syncs from the same `since` until `done` holds (the consumer has caught up). */
  const syncUntil = async (u: TestUser, params: Record<string, string | number | boolean>, done: (b: SyncBody) => boolean): Promise<SyncBody> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = await sync(u, params);
      if (done(body)) return body;
      if (Date.now() > deadline) assert.fail(`sync never satisfied the condition; last: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  /** Whether the response's timelines carry `userId`'s member event with this membership. */
  const hasMembership = (userId: string, membership: string) => (b: SyncBody) =>
    Object.values(b.rooms.join).some((r) => r.timeline.events.some((e) => e.type === 'm.room.member' && e.state_key === userId && e.content.membership === membership));
  const hasEvent = (eventId: string) => (b: SyncBody) =>
    Object.values(b.rooms.join).some((r) => r.timeline.events.some((e) => e.event_id === eventId)) ||
    Object.values(b.rooms.leave).some((r) => r.timeline.events.some((e) => e.event_id === eventId));
  const bodies = (t: Timeline) => t.events.filter((e) => e.type === 'm.room.message').map((e) => e.content.body);
  const types = (events: Ev[]) => events.map((e) => `${e.type}|${e.state_key ?? ''}`).sort();

  it('initial sync: a new room with its whole timeline, no state, a summary and the empty sections', async () => {
    const roomId = await create(alice, { name: 'Start' });
    const nameId = await send(alice, roomId, 'first');
    const body = await syncUntil(alice, {}, hasEvent(nameId));
    assert.match(body.next_batch, /^s\d+_0_0_0_0_\d+_0_0_0$/);
    const room = body.rooms.join[roomId]!;
    assert.deepEqual(
      room.timeline.events.map((e) => e.type),
      ['m.room.create', 'm.room.member', 'm.room.power_levels', 'm.room.join_rules', 'm.room.history_visibility', 'm.room.guest_access', 'm.room.name', 'm.room.message'],
    );
    assert.equal(room.timeline.limited, false);
    assert.match(room.timeline.prev_batch!, /^t1_\d+$/);
    assert.deepEqual(room.state.events, []);
    assert.deepEqual(room.summary, { 'm.heroes': [], 'm.joined_member_count': 1, 'm.invited_member_count': 0 });
    assert.deepEqual([room.unread_notifications, room.ephemeral, room.account_data], [{ notification_count: 0, highlight_count: 0 }, { events: [] }, { events: [] }]);
    for (const e of room.timeline.events) for (const k of ['auth_events', 'prev_events', 'hashes', 'signatures', 'depth']) assert.equal(k in e, false, k);
    assert.deepEqual([body.presence, body.to_device, body.device_lists, body.device_one_time_keys_count], [{ events: [] }, { events: [] }, { changed: [], left: [] }, {}]);
    assert.deepEqual([body.rooms.invite, body.rooms.knock, body.rooms.leave], [{}, {}, {}]);
    assert.ok(body.account_data.events.some((e) => e.type === 'm.push_rules'));
  });

  it('initial sync with a timeline limit: the latest events, limited, the state at their start', async () => {
    const roomId = await create(alice, { name: 'Old name' });
    ok(await put(alice, `/rooms/${enc(roomId)}/state/m.room.name/`, { name: 'New name' }));
    const last = await send(alice, roomId, 'one');
    const body = await syncUntil(alice, { filter: JSON.stringify({ room: { timeline: { limit: 2 } } }) }, hasEvent(last));
    const room = body.rooms.join[roomId]!;
    assert.deepEqual(room.timeline.events.map((e) => e.type), ['m.room.name', 'm.room.message']);
    assert.equal(room.timeline.limited, true);
    // The state before the timeline: the old name, which the timeline's name event replaces.
    assert.deepEqual(types(room.state.events), [
      'm.room.create|',
      'm.room.guest_access|',
      'm.room.history_visibility|',
      'm.room.join_rules|',
      `m.room.member|${alice.userId}`,
      'm.room.name|',
      'm.room.power_levels|',
    ]);
    assert.equal(room.state.events.find((e) => e.type === 'm.room.name')!.content.name, 'Old name');
    assert.equal(room.timeline.events[0]!.content.name, 'New name');
  });

  it('incremental sync: exactly the new events, then nothing', async () => {
    const roomId = await create(alice);
    const start = await syncUntil(alice, {}, (b) => b.rooms.join[roomId] !== undefined);
    const ids = [await send(alice, roomId, 'a'), await send(alice, roomId, 'b')];
    const body = await syncUntil(alice, { since: start.next_batch }, hasEvent(ids[1]!));
    assert.deepEqual(Object.keys(body.rooms.join), [roomId]);
    const room = body.rooms.join[roomId]!;
    assert.deepEqual(room.timeline.events.map((e) => e.event_id), ids);
    assert.equal(room.timeline.limited, false);
    assert.deepEqual(room.state.events, []);
    assert.equal(room.summary, undefined, 'no membership changed');
    const again = await sync(alice, { since: body.next_batch });
    assert.deepEqual(again.rooms.join, {});
    assert.equal(again.next_batch, body.next_batch);
  });

  it('a state event shows what it replaced: unsigned prev_content, replaces_state, prev_sender', async () => {
    const roomId = await create(alice, { preset: 'public_chat', power_level_content_override: { users: { [alice.userId]: 100, [bob.userId]: 50 } } });
    ok(await post(bob, `/join/${enc(roomId)}`));
    const start = await syncUntil(alice, {}, (b) => b.rooms.join[roomId] !== undefined);
    const first = String(ok(await put(alice, `/rooms/${enc(roomId)}/state/m.room.topic/`, { topic: 'first' })).event_id);
    const second = String(ok(await put(bob, `/rooms/${enc(roomId)}/state/m.room.topic/`, { topic: 'second' })).event_id);
    const body = await syncUntil(alice, { since: start.next_batch }, hasEvent(second));
    const [a, b] = body.rooms.join[roomId]!.timeline.events.filter((e) => e.type === 'm.room.topic');
    assert.equal(a!.event_id, first);
    assert.equal(a!.unsigned?.prev_content, undefined, 'the first topic replaced nothing');
    assert.deepEqual([b!.event_id, b!.unsigned?.prev_content, b!.unsigned?.replaces_state, b!.unsigned?.prev_sender], [second, { topic: 'first' }, first, alice.userId]);
  });

  it('long-poll: woken within a second by a member of the room, while an unrelated user keeps waiting', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    const bobStart = await syncUntil(bob, {}, (b) => b.rooms.join[roomId] !== undefined);
    const carolStart = await sync(carol);
    const t0 = Date.now();
    const bobPoll = sync(bob, { since: bobStart.next_batch, timeout: 10_000 });
    const carolPoll = sync(carol, { since: carolStart.next_batch, timeout: 2_500 });
    await new Promise((r) => setTimeout(r, 300));
    const eventId = await send(alice, roomId, 'wake up');
    const woken = await bobPoll;
    const elapsed = Date.now() - t0;
    assert.ok(elapsed < 3_000, `took ${elapsed} ms`);
    assert.deepEqual(woken.rooms.join[roomId]!.timeline.events.map((e) => e.event_id), [eventId]);
    const pending = await Promise.race([carolPoll.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 100))]);
    assert.equal(pending, 'waiting');
    const carolRes = await carolPoll;
    assert.ok(Date.now() - t0 >= 2_400, 'carol waited for her whole timeout');
    assert.deepEqual(carolRes.rooms.join, {});
  });

  it('a limited incremental sync: the latest events, a prev_batch, and the state changed in the gap', async () => {
    const roomId = await create(alice, { name: 'Before' });
    const start = await syncUntil(alice, {}, (b) => b.rooms.join[roomId] !== undefined);
    ok(await put(alice, `/rooms/${enc(roomId)}/state/m.room.topic/`, { topic: 'In the gap' }));
    let last = '';
    for (let i = 1; i <= 8; i++) last = await send(alice, roomId, `m${i}`);
    const filter = JSON.stringify({ room: { timeline: { limit: 5 } } });
    const body = await syncUntil(alice, { since: start.next_batch, filter }, hasEvent(last));
    const room = body.rooms.join[roomId]!;
    assert.deepEqual(bodies(room.timeline), ['m4', 'm5', 'm6', 'm7', 'm8']);
    assert.equal(room.timeline.limited, true);
    assert.match(room.timeline.prev_batch!, /^t\d+_\d+$/);
    assert.deepEqual(types(room.state.events), ['m.room.topic|']);
    assert.equal(room.state.events[0]!.content.topic, 'In the gap');
    // Not limited: the full range fits; prev_batch points before its first event.
    const small = await sync(alice, { since: start.next_batch, filter: JSON.stringify({ room: { timeline: { limit: 50 } } }) });
    assert.equal(small.rooms.join[roomId]!.timeline.limited, false);
    assert.deepEqual(small.rooms.join[roomId]!.state.events, []);
    assert.equal(small.rooms.join[roomId]!.timeline.events[0]!.type, 'm.room.topic');
  });

  it('full_state=true: every joined room with its full state, at once', async () => {
    const roomId = await create(alice, { name: 'Full' });
    const start = await syncUntil(alice, {}, (b) => b.rooms.join[roomId] !== undefined);
    const t0 = Date.now();
    const body = await sync(alice, { since: start.next_batch, full_state: true, timeout: 5_000 });
    assert.ok(Date.now() - t0 < 2_000);
    const room = body.rooms.join[roomId]!;
    assert.deepEqual(room.timeline.events, []);
    assert.ok(types(room.state.events).includes('m.room.name|'));
    assert.equal(room.summary?.['m.joined_member_count'], 1);
  });

  it('an invite shows in rooms.invite with stripped state until joined; the join brings the full state', async () => {
    const roomId = await create(alice, { name: 'Secret club', topic: 'shh' });
    const start = await sync(bob);
    ok(await post(alice, `/rooms/${enc(roomId)}/invite`, { user_id: bob.userId }));
    const invited = await syncUntil(bob, { since: start.next_batch }, (b) => b.rooms.invite[roomId] !== undefined);
    assert.deepEqual(invited.rooms.join, {});
    const stripped = invited.rooms.invite[roomId]!.invite_state.events;
    for (const e of stripped) assert.deepEqual(Object.keys(e).sort(), ['content', 'sender', 'state_key', 'type']);
    const byKey = new Map(stripped.map((e) => [`${String(e.type)}|${String(e.state_key)}`, e]));
    assert.equal((byKey.get('m.room.name|')!.content as { name: string }).name, 'Secret club');
    assert.equal((byKey.get('m.room.topic|')!.content as { topic: string }).topic, 'shh');
    assert.ok(byKey.has('m.room.create|') && byKey.has('m.room.join_rules|'));
    const invite = byKey.get(`m.room.member|${bob.userId}`)!;
    assert.deepEqual([invite.sender, (invite.content as { membership: string }).membership], [alice.userId, 'invite']);
    assert.ok(byKey.has(`m.room.member|${alice.userId}`), "the inviter's member event");
    assert.ok((await sync(bob)).rooms.invite[roomId], 'initial sync shows it too');

    ok(await post(bob, `/join/${enc(roomId)}`));
    const joined = await syncUntil(bob, { since: invited.next_batch }, hasMembership(bob.userId, 'join'));
    assert.deepEqual(joined.rooms.invite, {});
    const room = joined.rooms.join[roomId]!;
    assert.deepEqual(room.timeline.events.map((e) => [e.type, e.state_key, e.content.membership]), [['m.room.member', bob.userId, 'join']]);
    assert.ok(types(room.state.events).includes('m.room.name|'), 'a newly joined room comes with its state');
    assert.deepEqual(room.summary, { 'm.heroes': [alice.userId], 'm.joined_member_count': 2, 'm.invited_member_count': 0 });
    const fresh = await sync(bob);
    assert.deepEqual([fresh.rooms.invite[roomId], fresh.rooms.join[roomId] !== undefined], [undefined, true]);
  });

  it('a knock shows in rooms.knock with stripped state, ending with the knock itself', async () => {
    const roomId = await create(alice, { name: 'Knock knock', initial_state: [{ type: 'm.room.join_rules', state_key: '', content: { join_rule: 'knock' } }] });
    const start = await sync(carol);
    ok(await post(carol, `/knock/${enc(roomId)}`, { reason: 'let me in' }));
    const body = await syncUntil(carol, { since: start.next_batch }, (b) => b.rooms.knock[roomId] !== undefined);
    const events = (body.rooms.knock[roomId] as { knock_state: { events: Array<Record<string, unknown>> } }).knock_state.events;
    const last = events.at(-1)!;
    assert.deepEqual(last, { type: 'm.room.member', state_key: carol.userId, sender: carol.userId, content: last.content });
    assert.equal((last.content as { membership: string }).membership, 'knock');
    assert.ok(events.some((e) => e.type === 'm.room.join_rules' && (e.content as { join_rule: string }).join_rule === 'knock'));
    assert.ok(events.some((e) => e.type === 'm.room.name'));
    assert.deepEqual([body.rooms.join, body.rooms.invite], [{}, {}]);
  });

  it('leaving and being kicked put the room in rooms.leave with the timeline up to the leave', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    ok(await post(carol, `/join/${enc(roomId)}`));
    const bobStart = await syncUntil(bob, {}, (b) => b.rooms.join[roomId] !== undefined);
    const carolStart = await syncUntil(carol, {}, (b) => b.rooms.join[roomId] !== undefined);
    const before = await send(alice, roomId, 'before');
    ok(await post(bob, `/rooms/${enc(roomId)}/leave`));
    const kick = await post(alice, `/rooms/${enc(roomId)}/kick`, { user_id: carol.userId, reason: 'out' });
    ok(kick);
    const afterId = await send(alice, roomId, 'after');
    await syncUntil(alice, {}, hasEvent(afterId));

    const left = await sync(bob, { since: bobStart.next_batch });
    assert.deepEqual(left.rooms.join, {});
    const leaveRoom = left.rooms.leave[roomId]!;
    assert.deepEqual(bodies(leaveRoom.timeline), ['before']);
    const lastLeave = leaveRoom.timeline.events.at(-1)!;
    assert.deepEqual([lastLeave.type, lastLeave.state_key, lastLeave.content.membership], ['m.room.member', bob.userId, 'leave']);
    assert.ok(!leaveRoom.timeline.events.some((e) => e.event_id === afterId), 'nothing after the leave');
    assert.ok(leaveRoom.timeline.events.some((e) => e.event_id === before));

    const kicked = await sync(carol, { since: carolStart.next_batch });
    const kickEvent = kicked.rooms.leave[roomId]!.timeline.events.at(-1)!;
    assert.deepEqual([kickEvent.sender, kickEvent.state_key, kickEvent.content.membership, kickEvent.content.reason], [alice.userId, carol.userId, 'leave', 'out']);
    assert.deepEqual((await sync(bob, { since: left.next_batch })).rooms.leave, {}, 'shown once');
  });

  it('echoes transaction_id to the sending device only', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(bob, `/join/${enc(roomId)}`));
    const second = await s.login('alice', alice.password);
    const eventId = await send(alice, roomId, 'mine', 'my-txn-1');
    const [own, other, bobs] = await Promise.all([
      syncUntil(alice, {}, hasEvent(eventId)),
      syncUntil(second, {}, hasEvent(eventId)),
      syncUntil(bob, {}, hasEvent(eventId)),
    ]);
    const find = (b: SyncBody) => b.rooms.join[roomId]!.timeline.events.find((e) => e.event_id === eventId)!;
    assert.equal(find(own).unsigned?.transaction_id, 'my-txn-1');
    assert.equal(find(other).unsigned?.transaction_id, undefined);
    assert.equal(find(bobs).unsigned?.transaction_id, undefined);
  });

  it('global and room account data appear after a PUT, and wake a long-poll', async () => {
    const roomId = await create(carol);
    const start = await syncUntil(carol, {}, (b) => b.rooms.join[roomId] !== undefined);
    const t0 = Date.now();
    const poll = sync(carol, { since: start.next_batch, timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 200));
    ok(await put(carol, `/user/${enc(carol.userId)}/account_data/org.example.global`, { colour: 'blue' }));
    const woken = await poll;
    assert.ok(Date.now() - t0 < 3_000);
    assert.deepEqual(woken.account_data.events, [{ type: 'org.example.global', content: { colour: 'blue' } }]);
    assert.deepEqual(woken.rooms.join, {});
    // `notification_data` (8th) is global: other users' unread counts move it.
    assert.match(woken.next_batch, /^s\d+_0_0_0_0_[1-9]\d*_0_\d+_0$/);

    ok(await put(carol, `/user/${enc(carol.userId)}/rooms/${enc(roomId)}/account_data/org.example.room`, { pinned: true }));
    const roomData = await syncUntil(carol, { since: woken.next_batch }, (b) => b.rooms.join[roomId] !== undefined);
    assert.deepEqual(roomData.rooms.join[roomId]!.account_data.events, [{ type: 'org.example.room', content: { pinned: true } }]);
    assert.deepEqual(roomData.rooms.join[roomId]!.timeline.events, []);
    assert.deepEqual(roomData.account_data.events, []);
    const initial = await sync(carol);
    assert.ok(initial.account_data.events.some((e) => e.type === 'org.example.global' && e.content.colour === 'blue'));
    assert.deepEqual(initial.rooms.join[roomId]!.account_data.events, [{ type: 'org.example.room', content: { pinned: true } }]);
  });

  it('hides events from before a join when history visibility is `joined`', async () => {
    const roomId = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'joined' } }] });
    await send(alice, roomId, 'secret 1');
    await send(alice, roomId, 'secret 2');
    ok(await post(carol, `/join/${enc(roomId)}`));
    const after = await send(alice, roomId, 'visible');
    const body = await syncUntil(carol, {}, hasEvent(after));
    const room = body.rooms.join[roomId]!;
    // The room's first events came before the setting (`shared` then); the secrets after it.
    assert.deepEqual(
      room.timeline.events.map((e) => `${e.type}|${e.state_key ?? String(e.content.body)}`),
      [
        'm.room.create|',
        `m.room.member|${alice.userId}`,
        'm.room.power_levels|',
        'm.room.join_rules|',
        'm.room.guest_access|',
        'm.room.history_visibility|',
        `m.room.member|${carol.userId}`,
        'm.room.message|visible',
      ],
    );
    assert.equal(room.timeline.limited, false, 'ten events: the whole room');
    assert.equal(room.timeline.events.at(-1)!.event_id, after);
    // With 5: the secrets take two places and are hidden; the state is the one before the rest.
    const five = await sync(carol, { filter: JSON.stringify({ room: { timeline: { limit: 5 } } }) });
    const r5 = five.rooms.join[roomId]!;
    assert.deepEqual(bodies(r5.timeline), ['visible']);
    assert.deepEqual(r5.timeline.events.map((e) => e.type), ['m.room.history_visibility', 'm.room.member', 'm.room.message']);
    assert.equal(r5.timeline.limited, true);
    assert.deepEqual(types(r5.state.events), ['m.room.create|', 'm.room.guest_access|', 'm.room.join_rules|', `m.room.member|${alice.userId}`, 'm.room.power_levels|']);
  });

  it('serves a redacted event redacted, with redacted_because', async () => {
    const roomId = await create(alice);
    const eventId = await send(alice, roomId, 'oops');
    const redaction = String(ok(await put(alice, `/rooms/${enc(roomId)}/redact/${enc(eventId)}/r1`, { reason: 'typo' })).event_id);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = await sync(alice);
      const ev = body.rooms.join[roomId]?.timeline.events.find((e) => e.event_id === eventId);
      if (ev && ev.unsigned?.redacted_because) {
        assert.deepEqual(ev.content, {});
        assert.equal((ev.unsigned.redacted_because as Ev).event_id, redaction);
        break;
      }
      assert.ok(Date.now() < deadline, 'the redaction never reached sync');
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it('refuses a token it did not write with 400 M_INVALID_PARAM', async () => {
    for (const since of ['garbage', 's', 's1_x', 's01', 's-1', `s${'1_'.repeat(12)}1`, 't1_1', 's1__2']) {
      const res = await s.call('GET', `${V3}/sync?since=${enc(since)}`, { token: alice.accessToken });
      assert.deepEqual([res.status, res.body.errcode], [400, 'M_INVALID_PARAM'], since);
    }
    const filter = await s.call('GET', `${V3}/sync?filter=${enc('{not json')}`, { token: alice.accessToken });
    assert.deepEqual([filter.status, filter.body.errcode], [400, 'M_NOT_JSON']);
    const anon = await s.call('GET', `${V3}/sync`);
    assert.deepEqual([anon.status, anon.body.errcode], [401, 'M_MISSING_TOKEN']);
    // A token with fewer streams than this server has (written before a stream was added) is accepted.
    assert.equal((await s.call('GET', `${V3}/sync?since=s1`, { token: alice.accessToken })).status, 200);
  });

  it('lets a guest sync, and see a room it joined', async () => {
    const g = ok(await s.call('POST', `${V3}/register?kind=guest`, { body: {} }));
    const guest: TestUser = { userId: String(g.user_id), accessToken: String(g.access_token), deviceId: String(g.device_id), password: '' };
    const roomId = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.guest_access', state_key: '', content: { guest_access: 'can_join' } }] });
    const empty = await sync(guest);
    assert.match(empty.next_batch, /^s\d+/);
    ok(await post(guest, `/rooms/${enc(roomId)}/join`));
    const body = await syncUntil(guest, {}, hasMembership(guest.userId, 'join'));
    assert.equal(body.rooms.join[roomId]!.timeline.events.at(-1)!.state_key, guest.userId);
    assert.ok(guest.userId.endsWith(`:${SERVER_NAME}`));
  });
});
