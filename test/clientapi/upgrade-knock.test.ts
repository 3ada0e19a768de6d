/**
 * Room upgrades and knocking over real HTTP against an in-process monolith:
 * `POST /rooms/{roomId}/upgrade` (v10 → v11, v11 → v12 with additional creators, refusals) and
 * `POST /knock/{roomIdOrAlias}` with its follow-ups (rescind by /leave, accept by /invite,
 * refuse by /kick), and the stripped state served in `unsigned` of invites and knocks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SERVER_NAME, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

describe('room upgrades and knocking: client endpoints', () => {
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
    get: (path: string) => s.call('GET', V3 + path, { token: u.accessToken }),
  });
  const ok = (res: Res): Record<string, unknown> => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const err = (res: Res, status: number, errcode: string): void => assert.deepEqual([res.status, res.body.errcode], [status, errcode], JSON.stringify(res.body));
  const create = async (u: TestUser, body: Record<string, unknown>): Promise<string> => String(ok(await as(u).post('/createRoom', body)).room_id);
  const stateEvent = (u: TestUser, roomId: string, type: string, key = '') => as(u).get(`/rooms/${enc(roomId)}/state/${type}/${enc(key)}`);
  const member = async (roomId: string, userId: string): Promise<Record<string, unknown>> => ok(await stateEvent(alice, roomId, 'm.room.member', userId));

  it('upgrades a v10 room to v11: predecessor, copied state, tombstone, alias and directory entry moved', async () => {
    const old = await create(alice, { room_version: '10', preset: 'public_chat', visibility: 'public', name: 'Old', topic: 'T', room_alias_name: 'upgrade-me' });
    ok(await as(bob).post(`/join/${enc(old)}`));
    err(await as(bob).post(`/rooms/${enc(old)}/upgrade`, { new_version: '11' }), 403, 'M_FORBIDDEN');
    err(await as(carol).post(`/rooms/${enc(old)}/upgrade`, { new_version: '11' }), 403, 'M_FORBIDDEN');
    err(await as(alice).post(`/rooms/${enc(old)}/upgrade`, { new_version: '99' }), 400, 'M_UNSUPPORTED_ROOM_VERSION');
    assert.equal((await as(alice).post(`/rooms/${enc(old)}/upgrade`, {})).status, 400);
    err(await as(alice).post(`/rooms/${enc('!nope:hs.test')}/upgrade`, { new_version: '11' }), 404, 'M_NOT_FOUND');

    const res = ok(await as(alice).post(`/rooms/${enc(old)}/upgrade`, { new_version: '11' }));
    const replacement = String(res.replacement_room);
    assert.deepEqual(Object.keys(res), ['replacement_room']);
    const createContent = ok(await stateEvent(alice, replacement, 'm.room.create'));
    assert.equal(createContent.room_version, '11');
    assert.equal((createContent.predecessor as Record<string, unknown>).room_id, old);
    assert.deepEqual(ok(await stateEvent(alice, replacement, 'm.room.name')), { name: 'Old' });
    assert.deepEqual(ok(await stateEvent(alice, replacement, 'm.room.join_rules')), { join_rule: 'public' });
    assert.deepEqual(ok(await stateEvent(alice, replacement, 'm.room.canonical_alias')), { alias: `#upgrade-me:${SERVER_NAME}` });
    assert.deepEqual(ok(await stateEvent(alice, old, 'm.room.tombstone')), { body: 'This room has been replaced', replacement_room: replacement });
    assert.equal(ok(await stateEvent(alice, old, 'm.room.power_levels')).events_default, 50);
    assert.deepEqual(ok(await s.call('GET', `${V3}/directory/room/${enc(`#upgrade-me:${SERVER_NAME}`)}`)), { room_id: replacement, servers: [SERVER_NAME] });
    assert.deepEqual(ok(await s.call('GET', `${V3}/directory/list/room/${enc(replacement)}`)), { visibility: 'public' });
    assert.deepEqual(ok(await s.call('GET', `${V3}/directory/list/room/${enc(old)}`)), { visibility: 'private' });
    // Bob follows the tombstone.
    ok(await as(bob).post(`/join/${enc(replacement)}`));
    assert.deepEqual(((ok(await as(bob).get('/joined_rooms')).joined_rooms as string[]).sort()), [old, replacement].sort());
  });

  it('upgrades a v11 room to v12 with additional_creators, who are invited and kept out of the power levels', async () => {
    const old = await create(alice, { room_version: '11', preset: 'private_chat' });
    err(await as(alice).post(`/rooms/${enc(old)}/upgrade`, { new_version: '12', additional_creators: ['not-a-user'] }), 400, 'M_INVALID_PARAM');
    const replacement = String(ok(await as(alice).post(`/rooms/${enc(old)}/upgrade`, { new_version: '12', additional_creators: [carol.userId] })).replacement_room);
    const createContent = ok(await stateEvent(alice, replacement, 'm.room.create'));
    assert.deepEqual(createContent.additional_creators, [carol.userId]);
    assert.equal(createContent.creator, undefined);
    assert.deepEqual(ok(await stateEvent(alice, replacement, 'm.room.power_levels')).users, {});
    assert.equal((await member(replacement, carol.userId)).membership, 'invite');
    ok(await as(carol).post(`/rooms/${enc(replacement)}/join`));
  });

  it('knocks by alias (via ignored for a local room); rescind by /leave, accept by /invite, refuse by /kick', async () => {
    const roomId = await create(alice, { room_version: '11', preset: 'public_chat', name: 'Knockers', room_alias_name: 'knock-here', initial_state: [{ type: 'm.room.join_rules', content: { join_rule: 'knock' } }] });
    const res = ok(await as(bob).post(`/knock/${enc(`#knock-here:${SERVER_NAME}`)}?via=elsewhere.test&via=other.test`, { reason: 'hello' }));
    assert.deepEqual(res, { room_id: roomId });
    assert.deepEqual(await member(roomId, bob.userId), { membership: 'knock', displayname: 'bob', reason: 'hello' });
    const joinedRooms = async (u: TestUser): Promise<string[]> => ok(await as(u).get('/joined_rooms')).joined_rooms as string[];
    assert.equal((await joinedRooms(bob)).includes(roomId), false);
    // The knock event as served carries knock_room_state, stripped to type, state_key, sender, content.
    const members = ok(await as(alice).get(`/rooms/${enc(roomId)}/members?membership=knock`)).chunk as Record<string, unknown>[];
    assert.equal(members.length, 1);
    const knockState = (members[0]!.unsigned as Record<string, unknown>).knock_room_state as Record<string, unknown>[];
    assert.deepEqual(knockState.map((e) => e.type), ['m.room.create', 'm.room.name', 'm.room.join_rules', 'm.room.canonical_alias']);
    assert.deepEqual(knockState[1], { type: 'm.room.name', state_key: '', sender: alice.userId, content: { name: 'Knockers' } });

    // Bob rescinds and knocks again; Alice accepts with an invite; Bob joins.
    ok(await as(bob).post(`/rooms/${enc(roomId)}/leave`));
    assert.equal((await member(roomId, bob.userId)).membership, 'leave');
    ok(await as(bob).post(`/knock/${enc(roomId)}`, {}));
    ok(await as(alice).post(`/rooms/${enc(roomId)}/invite`, { user_id: bob.userId }));
    const inviteEvent = ok(await as(alice).get(`/rooms/${enc(roomId)}/members?membership=invite`)).chunk as Record<string, unknown>[];
    const inviteState = (inviteEvent[0]!.unsigned as Record<string, unknown>).invite_room_state as Record<string, unknown>[];
    assert.deepEqual(inviteState.map((e) => `${String(e.type)}|${String(e.state_key)}`), [
      'm.room.create|',
      'm.room.name|',
      'm.room.join_rules|',
      'm.room.canonical_alias|',
      `m.room.member|${alice.userId}`,
    ]);
    ok(await as(bob).post(`/rooms/${enc(roomId)}/join`));
    assert.equal((await joinedRooms(bob)).includes(roomId), true);

    // Carol knocks and is refused with a kick.
    ok(await as(carol).post(`/knock/${enc(roomId)}`, {}));
    err(await as(bob).post(`/rooms/${enc(roomId)}/kick`, { user_id: carol.userId }), 403, 'M_FORBIDDEN');
    ok(await as(alice).post(`/rooms/${enc(roomId)}/kick`, { user_id: carol.userId, reason: 'not now' }));
    assert.deepEqual(await member(roomId, carol.userId), { membership: 'leave', reason: 'not now' });
  });

  it('refuses knocks on rooms that take none, by members, and on unknown rooms', async () => {
    const publicRoom = await create(alice, { room_version: '11', preset: 'public_chat' });
    err(await as(bob).post(`/knock/${enc(publicRoom)}`, {}), 403, 'M_FORBIDDEN');
    const v6 = await create(alice, { room_version: '6', initial_state: [{ type: 'm.room.join_rules', content: { join_rule: 'knock' } }] });
    err(await as(bob).post(`/knock/${enc(v6)}`, {}), 403, 'M_FORBIDDEN');
    const knockRoom = await create(alice, { room_version: '11', initial_state: [{ type: 'm.room.join_rules', content: { join_rule: 'knock' } }] });
    err(await as(alice).post(`/knock/${enc(knockRoom)}`, {}), 403, 'M_FORBIDDEN');
    // A room unknown here with no other server to ask is 404; one whose server cannot be reached is 502.
    err(await as(bob).post(`/knock/${enc(`!unknown:${SERVER_NAME}`)}`, {}), 404, 'M_NOT_FOUND');
    err(await as(bob).post(`/knock/${enc('!unknown:elsewhere.test')}?server_name=elsewhere.test`, {}), 502, 'M_UNKNOWN');
    err(await as(bob).post(`/knock/${enc(`#nope:${SERVER_NAME}`)}`, {}), 404, 'M_NOT_FOUND');
  });
});
