/**
 * Room creation and the basic room endpoints over real HTTP against an in-process monolith:
 * createRoom (presets, versions 11 and 12, alias, name/topic, overrides), sending with
 * idempotent transaction IDs, state (incl. the empty state key spellings), membership
 * (join, invite-only refusal, invite, leave, kick, ban/unban), members, redaction and aliases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SERVER_NAME, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

type Ev = Record<string, unknown> & { type: string; state_key?: string; content: Record<string, unknown>; event_id: string };

describe('rooms: client endpoints', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  before(async () => {
    s = await startClientTestServer();
    [alice, bob, carol] = [await s.register('alice'), await s.register('bob'), await s.register('carol')];
  });
  after(() => s.stop());

  const as = (u: TestUser) => ({
    post: (path: string, body: unknown = {}) => s.call('POST', V3 + path, { token: u.accessToken, body }),
    put: (path: string, body: unknown = {}) => s.call('PUT', V3 + path, { token: u.accessToken, body }),
    get: (path: string) => s.call('GET', V3 + path, { token: u.accessToken }),
    del: (path: string) => s.call('DELETE', V3 + path, { token: u.accessToken }),
  });
  const ok = (res: Res): Record<string, unknown> => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const err = (res: Res, status: number, errcode: string): void => assert.deepEqual([res.status, res.body.errcode], [status, errcode], JSON.stringify(res.body));
  const create = async (u: TestUser, body: Record<string, unknown>): Promise<string> => String(ok(await as(u).post('/createRoom', body)).room_id);
  const state = async (u: TestUser, roomId: string): Promise<Ev[]> => ok(await as(u).get(`/rooms/${enc(roomId)}/state`)) as unknown as Ev[];
  let txn = 0;
  const send = (u: TestUser, roomId: string, body: string) => as(u).put(`/rooms/${enc(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body });

  for (const version of ['11', '12'] as const) {
    it(`creates a public_chat v${version} room with name, topic and alias (order: create-room-plan.test.ts)`, async () => {
      const roomId = await create(alice, { preset: 'public_chat', room_version: version, name: 'Pub', topic: 'Drinks', room_alias_name: `pub${version}` });
      const events = await state(alice, roomId);
      const byKey = new Map(events.map((e) => [`${e.type}|${e.state_key}`, e]));
      const create_ = byKey.get('m.room.create|')!;
      assert.equal(create_.content.room_version, version);
      assert.equal(create_.room_id, roomId);
      assert.equal(create_.sender, alice.userId);
      if (version === '12') {
        assert.equal(roomId, `!${create_.event_id.slice(1)}`);
        assert.equal(create_.content.creator, undefined);
      } else {
        assert.match(roomId, new RegExp(`^![A-Za-z]{18}:${SERVER_NAME.replace('.', '\\.')}$`));
      }
      for (const e of events) for (const k of ['auth_events', 'prev_events', 'hashes', 'signatures', 'depth']) assert.equal(k in e, false, k);
      const power = byKey.get('m.room.power_levels|')!.content;
      assert.deepEqual(power.users, version === '12' ? {} : { [alice.userId]: 100 });
      assert.equal((power.events as Record<string, number>)['m.room.tombstone'], version === '12' ? 150 : 100);
      assert.equal(power.invite, 50);
      assert.deepEqual(byKey.get('m.room.join_rules|')!.content, { join_rule: 'public' });
      assert.deepEqual(byKey.get('m.room.history_visibility|')!.content, { history_visibility: 'shared' });
      assert.deepEqual(byKey.get('m.room.guest_access|')!.content, { guest_access: 'forbidden' });
      assert.deepEqual(byKey.get('m.room.name|')!.content, { name: 'Pub' });
      assert.deepEqual(byKey.get('m.room.topic|')!.content, { topic: 'Drinks', 'm.topic': { 'm.text': [{ body: 'Drinks', mimetype: 'text/plain' }] } });
      assert.deepEqual(byKey.get('m.room.canonical_alias|')!.content, { alias: `#pub${version}:${SERVER_NAME}` });
      assert.deepEqual(byKey.get(`m.room.member|${alice.userId}`)!.content, { membership: 'join', displayname: 'alice' });
      assert.equal(events.length, 9);

      assert.deepEqual(ok(await s.call('GET', `${V3}/directory/room/${enc(`#pub${version}:${SERVER_NAME}`)}`)), { room_id: roomId, servers: [SERVER_NAME] });
      // A second user joins by alias, sends; the creator sees them in joined_members.
      assert.deepEqual(ok(await as(bob).post(`/join/${enc(`#pub${version}:${SERVER_NAME}`)}`)), { room_id: roomId });
      const m = ok(await send(bob, roomId, 'hi'));
      assert.match(String(m.event_id), /^\$/);
      assert.deepEqual(ok(await as(alice).get(`/rooms/${enc(roomId)}/joined_members`)), {
        joined: { [alice.userId]: { display_name: 'alice' }, [bob.userId]: { display_name: 'bob' } },
      });
      const msg = ok(await as(alice).get(`/rooms/${enc(roomId)}/event/${enc(String(m.event_id))}`));
      assert.deepEqual(
        { ...msg, origin_server_ts: 0 },
        { event_id: m.event_id, room_id: roomId, sender: bob.userId, type: 'm.room.message', content: { msgtype: 'm.text', body: 'hi' }, origin_server_ts: 0 },
      );
    });
  }

  it('refuses an unknown room version, a taken alias, creators in v12 power levels', async () => {
    err(await as(alice).post('/createRoom', { room_version: '99' }), 400, 'M_UNSUPPORTED_ROOM_VERSION');
    await create(alice, { room_alias_name: 'taken' });
    err(await as(alice).post('/createRoom', { room_alias_name: 'taken' }), 400, 'M_ROOM_IN_USE');
    err(await as(alice).post('/createRoom', { room_alias_name: 'a:b' }), 400, 'M_INVALID_PARAM');
    err(await as(alice).post('/createRoom', { room_version: '12', power_level_content_override: { users: { [alice.userId]: 100 } } }), 400, 'M_INVALID_ROOM_STATE');
  });

  it('private_chat with invite: invitee refused without invite elsewhere, joins with it; power_level_content_override applies', async () => {
    const roomId = await create(alice, { preset: 'private_chat', invite: [bob.userId], is_direct: true, power_level_content_override: { events_default: 10, users: { [alice.userId]: 100, [carol.userId]: 20 } } });
    const events = await state(alice, roomId);
    const byKey = new Map(events.map((e) => [`${e.type}|${e.state_key}`, e]));
    assert.deepEqual(byKey.get(`m.room.member|${bob.userId}`)!.content, { membership: 'invite', is_direct: true });
    assert.deepEqual(byKey.get('m.room.join_rules|')!.content, { join_rule: 'invite' });
    assert.deepEqual(byKey.get('m.room.guest_access|')!.content, { guest_access: 'can_join' });
    const power = byKey.get('m.room.power_levels|')!.content;
    assert.equal(power.events_default, 10);
    assert.equal(power.invite, 0);
    assert.deepEqual(power.users, { [alice.userId]: 100, [carol.userId]: 20 });

    err(await as(carol).post(`/rooms/${enc(roomId)}/join`), 403, 'M_FORBIDDEN');
    ok(await as(bob).post(`/rooms/${enc(roomId)}/join`));
    // Carol is not in the room: no reads.
    err(await as(carol).get(`/rooms/${enc(roomId)}/state`), 403, 'M_FORBIDDEN');
    err(await send(carol, roomId, 'x'), 403, 'M_FORBIDDEN');
    // Invite, then join works.
    ok(await as(alice).post(`/rooms/${enc(roomId)}/invite`, { user_id: carol.userId, reason: 'welcome' }));
    const invite = ok(await as(alice).get(`/rooms/${enc(roomId)}/state/m.room.member/${enc(carol.userId)}`));
    assert.deepEqual(invite, { membership: 'invite', displayname: 'carol', reason: 'welcome' });
    err(await as(alice).post(`/rooms/${enc(roomId)}/invite`, { user_id: bob.userId }), 403, 'M_FORBIDDEN');
    ok(await as(carol).post(`/join/${enc(roomId)}`));
    assert.ok((ok(await as(carol).get('/joined_rooms')).joined_rooms as string[]).includes(roomId));
  });

  it('trusted_private_chat gives invitees the creator power (v11) or makes them creators (v12)', async () => {
    const r11 = await create(alice, { preset: 'trusted_private_chat', room_version: '11', invite: [bob.userId] });
    const pl11 = ok(await as(alice).get(`/rooms/${enc(r11)}/state/m.room.power_levels`));
    assert.deepEqual(pl11.users, { [alice.userId]: 100, [bob.userId]: 100 });
    const r12 = await create(alice, { preset: 'trusted_private_chat', room_version: '12', invite: [bob.userId], creation_content: { additional_creators: [carol.userId] } });
    const create12 = ok(await as(alice).get(`/rooms/${enc(r12)}/state/m.room.create/`));
    assert.deepEqual(create12, { room_version: '12', additional_creators: [carol.userId, bob.userId] });
    assert.deepEqual(ok(await as(alice).get(`/rooms/${enc(r12)}/state/m.room.power_levels`)).users, {});
  });

  it('sends messages idempotently per device and transaction ID; refuses oversize events', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const path = `/rooms/${enc(roomId)}/send/m.room.message/same-txn`;
    const first = ok(await as(alice).put(path, { body: 'one' }));
    const again = ok(await as(alice).put(path, { body: 'one, retried' }));
    assert.equal(again.event_id, first.event_id);
    const other = await s.login('alice', alice.password);
    const fromOther = ok(await as(other).put(path, { body: 'one' }));
    assert.notEqual(fromOther.event_id, first.event_id);
    err(await as(alice).put(`/rooms/${enc(roomId)}/send/m.room.message/big`, { body: 'x'.repeat(66_000) }), 413, 'M_TOO_LARGE');
    err(await send(alice, '!unknown:hs.test', 'x'), 404, 'M_NOT_FOUND');
    err(await as(alice).get(`/rooms/${enc('!unknown:hs.test')}/state`), 404, 'M_NOT_FOUND');
  });

  it('sets and reads state, with the empty state key in every spelling', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const base = `/rooms/${enc(roomId)}/state/m.room.name`;
    ok(await as(alice).put(base, { name: 'no slash' }));
    assert.deepEqual(ok(await as(alice).get(`${base}/`)), { name: 'no slash' });
    ok(await as(alice).put(`${base}/`, { name: 'slash' }));
    assert.deepEqual(ok(await as(alice).get(base)), { name: 'slash' });
    const set = ok(await as(alice).put(`/rooms/${enc(roomId)}/state/org.example.thing/k%2F1`, { v: 1 }));
    const got = ok(await as(alice).get(`/rooms/${enc(roomId)}/state/org.example.thing/k%2F1?format=event`));
    assert.equal(got.event_id, set.event_id);
    assert.deepEqual([got.state_key, got.content, got.room_id], ['k/1', { v: 1 }, roomId]);
    err(await as(alice).get(`/rooms/${enc(roomId)}/state/org.example.thing/missing`), 404, 'M_NOT_FOUND');
    // Power: bob joins but may not change the name (state_default 50).
    ok(await as(bob).post(`/join/${enc(roomId)}`));
    err(await as(bob).put(base, { name: 'bob' }), 403, 'M_FORBIDDEN');
    // Canonical alias must point at the room.
    err(await as(alice).put(`/rooms/${enc(roomId)}/state/m.room.canonical_alias`, { alias: `#nowhere:${SERVER_NAME}` }), 400, 'M_BAD_ALIAS');
  });

  it('leave, kick, ban and unban; a left user reads the state as it was when they left', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const r = `/rooms/${enc(roomId)}`;
    ok(await as(bob).post(`${r}/join`));
    ok(await as(bob).post(`${r}/leave`, { reason: 'bye' }));
    ok(await as(bob).post(`${r}/leave`));
    assert.deepEqual(ok(await as(bob).get(`${r}/state/m.room.member/${enc(bob.userId)}`)), { membership: 'leave', reason: 'bye' });
    ok(await as(alice).put(`${r}/state/m.room.name`, { name: 'after bob left' }));
    err(await as(bob).get(`${r}/state/m.room.name`), 404, 'M_NOT_FOUND');
    err(await as(bob).get(`${r}/joined_members`), 403, 'M_FORBIDDEN');
    assert.ok(!(ok(await as(bob).get('/joined_rooms')).joined_rooms as string[]).includes(roomId));

    ok(await as(bob).post(`${r}/join`));
    err(await as(bob).post(`${r}/kick`, { user_id: alice.userId }), 403, 'M_FORBIDDEN');
    ok(await as(alice).post(`${r}/kick`, { user_id: bob.userId, reason: 'out' }));
    assert.deepEqual(ok(await as(alice).get(`${r}/state/m.room.member/${enc(bob.userId)}`)), { membership: 'leave', reason: 'out' });
    ok(await as(alice).post(`${r}/ban`, { user_id: bob.userId }));
    err(await as(bob).post(`${r}/join`), 403, 'M_FORBIDDEN');
    err(await as(alice).post(`${r}/kick`, { user_id: bob.userId }), 403, 'M_FORBIDDEN');
    ok(await as(alice).post(`${r}/unban`, { user_id: bob.userId }));
    err(await as(alice).post(`${r}/unban`, { user_id: bob.userId }), 403, 'M_FORBIDDEN');
    ok(await as(bob).post(`${r}/join`));
  });

  it('lists members with membership / not_membership filters', async () => {
    const roomId = await create(alice, { preset: 'public_chat', invite: [carol.userId] });
    const r = `/rooms/${enc(roomId)}`;
    ok(await as(bob).post(`${r}/join`));
    ok(await as(bob).post(`${r}/leave`));
    const members = async (q: string) =>
      ((ok(await as(alice).get(`${r}/members${q}`)).chunk as Ev[]).map((e) => `${String(e.state_key)}=${String(e.content.membership)}`)).sort();
    const [a, b, c] = [alice.userId, bob.userId, carol.userId];
    assert.deepEqual(await members(''), [`${a}=join`, `${b}=leave`, `${c}=invite`].sort());
    assert.deepEqual(await members('?membership=join'), [`${a}=join`]);
    assert.deepEqual(await members('?not_membership=leave'), [`${a}=join`, `${c}=invite`].sort());
    assert.deepEqual(await members('?membership=leave&not_membership=join'), [`${b}=leave`, `${c}=invite`].sort());
    err(await as(carol).get(`${r}/members`), 403, 'M_FORBIDDEN');
  });

  it('redacts with a transaction ID; the event is served redacted', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const r = `/rooms/${enc(roomId)}`;
    ok(await as(bob).post(`${r}/join`));
    const m = String(ok(await send(bob, roomId, 'oops')).event_id);
    const red = ok(await as(alice).put(`${r}/redact/${enc(m)}/red1`, { reason: 'spam' }));
    assert.deepEqual(ok(await as(alice).put(`${r}/redact/${enc(m)}/red1`, { reason: 'spam' })), red);
    const got = ok(await as(bob).get(`${r}/event/${enc(m)}`));
    assert.deepEqual(got.content, {});
    const redaction = ok(await as(bob).get(`${r}/event/${enc(String(red.event_id))}`));
    assert.deepEqual(redaction.content, { reason: 'spam', redacts: m });
    // Hidden by history visibility (Carol never joined): answered as missing, like Synapse.
    err(await as(carol).get(`${r}/event/${enc(m)}`), 404, 'M_NOT_FOUND');
    err(await as(bob).get(`${r}/event/${enc('$nope')}`), 404, 'M_NOT_FOUND');
  });

  it('creates, resolves, lists and deletes aliases', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const alias = `#crud:${SERVER_NAME}`;
    const path = `/directory/room/${enc(alias)}`;
    err(await as(bob).get(path), 404, 'M_NOT_FOUND');
    ok(await as(bob).put(path, { room_id: roomId }));
    err(await as(alice).put(path, { room_id: roomId }), 409, 'M_UNKNOWN');
    err(await as(alice).put(`/directory/room/${enc('#x:other.example')}`, { room_id: roomId }), 400, 'M_INVALID_PARAM');
    err(await as(alice).put(`/directory/room/${enc('#y:hs.test')}`, { room_id: '!nope:hs.test' }), 404, 'M_NOT_FOUND');
    err(await as(alice).get(`/directory/room/notanalias`), 400, 'M_INVALID_PARAM');
    assert.deepEqual(ok(await as(bob).get(path)), { room_id: roomId, servers: [SERVER_NAME] });
    assert.deepEqual(ok(await as(alice).get(`/rooms/${enc(roomId)}/aliases`)), { aliases: [alias] });
    err(await as(bob).get(`/rooms/${enc(roomId)}/aliases`), 403, 'M_FORBIDDEN');
    // Alias in the canonical alias event, then deleted by the room admin: dropped from it too.
    ok(await as(alice).put(`/rooms/${enc(roomId)}/state/m.room.canonical_alias`, { alias }));
    err(await as(carol).del(path), 403, 'M_FORBIDDEN');
    ok(await as(alice).del(path));
    err(await as(alice).del(path), 404, 'M_NOT_FOUND');
    assert.deepEqual(ok(await as(alice).get(`/rooms/${enc(roomId)}/state/m.room.canonical_alias`)), {});
    assert.deepEqual(ok(await as(alice).get(`/rooms/${enc(roomId)}/aliases`)), { aliases: [] });
  });
});
