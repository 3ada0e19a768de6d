/**
 * Who may read rooms, over real HTTP against an in-process monolith: state and members as of
 * one's leave, non-members refused in private rooms and reading world-readable ones, events by
 * history visibility (`joined` hides what came before the join), guests, `timestamp_to_event`,
 * server ACL content checks, and deactivated accounts leaving their rooms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordAuth, SHARED_SECRET, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const V1 = '/_matrix/client/v1';
const enc = encodeURIComponent;

type Ev = Record<string, unknown> & { type: string; state_key?: string; content: Record<string, unknown>; event_id: string };

describe('rooms: reading rooms and history', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, guests: true, shared_secret: SHARED_SECRET } });
    [alice, bob, carol] = [await s.register('alice'), await s.register('bob'), await s.register('carol')];
  });
  after(() => s.stop());

  const as = (u: { accessToken: string }) => ({
    post: (path: string, body: unknown = {}) => s.call('POST', V3 + path, { token: u.accessToken, body }),
    put: (path: string, body: unknown = {}) => s.call('PUT', V3 + path, { token: u.accessToken, body }),
    get: (path: string, base = V3) => s.call('GET', base + path, { token: u.accessToken }),
  });
  const ok = (res: Res): Record<string, unknown> => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const err = (res: Res, status: number, errcode: string): void => assert.deepEqual([res.status, res.body.errcode], [status, errcode], JSON.stringify(res.body));
  const create = async (u: TestUser, body: Record<string, unknown>): Promise<string> => String(ok(await as(u).post('/createRoom', body)).room_id);
  const r = (roomId: string) => `/rooms/${enc(roomId)}`;
  let txn = 0;
  const send = async (u: TestUser, roomId: string, body: string): Promise<string> =>
    String(ok(await as(u).put(`${r(roomId)}/send/m.room.message/t${++txn}`, { msgtype: 'm.text', body })).event_id);
  const setState = async (u: TestUser, roomId: string, type: string, content: Record<string, unknown>): Promise<string> =>
    String(ok(await as(u).put(`${r(roomId)}/state/${type}/`, content)).event_id);
  const memberships = (events: Ev[]): Record<string, unknown> => Object.fromEntries(events.map((e) => [e.state_key, e.content.membership]));

  it('a user who left reads state and members as of their leave, not later changes', async () => {
    const roomId = await create(alice, { preset: 'public_chat', name: 'Before' });
    ok(await as(bob).post(`${r(roomId)}/join`));
    ok(await as(bob).post(`${r(roomId)}/leave`));
    await setState(alice, roomId, 'm.room.name', { name: 'After' });
    ok(await as(alice).post(`${r(roomId)}/invite`, { user_id: carol.userId }));

    const bobState = ok(await as(bob).get(`${r(roomId)}/state`)) as unknown as Ev[];
    assert.deepEqual(bobState.find((e) => e.type === 'm.room.name')?.content, { name: 'Before' });
    assert.deepEqual(ok(await as(bob).get(`${r(roomId)}/state/m.room.name`)), { name: 'Before' });
    assert.deepEqual(ok(await as(alice).get(`${r(roomId)}/state/m.room.name`)), { name: 'After' });
    const bobMembers = ok(await as(bob).get(`${r(roomId)}/members`)).chunk as Ev[];
    assert.deepEqual(memberships(bobMembers), { [alice.userId]: 'join', [bob.userId]: 'leave' });
    const aliceMembers = ok(await as(alice).get(`${r(roomId)}/members`)).chunk as Ev[];
    assert.deepEqual(memberships(aliceMembers), { [alice.userId]: 'join', [bob.userId]: 'leave', [carol.userId]: 'invite' });
    // The current members and aliases are for members (or world-readable rooms) only.
    err(await as(bob).get(`${r(roomId)}/joined_members`), 403, 'M_FORBIDDEN');
    err(await as(bob).get(`${r(roomId)}/aliases`), 403, 'M_FORBIDDEN');
  });

  it('a non-member gets 403 in a private room and reads a world-readable one', async () => {
    const hidden = await create(alice, { preset: 'private_chat' });
    const m = await send(alice, hidden, 'secret');
    for (const path of ['/state', '/state/m.room.create', '/members', '/joined_members', '/aliases']) err(await as(carol).get(r(hidden) + path), 403, 'M_FORBIDDEN');
    err(await as(carol).get(`${r(hidden)}/event/${enc(m)}`), 404, 'M_NOT_FOUND');
    err(await as(carol).get(`${r('!nowhere:hs.test')}/state`), 404, 'M_NOT_FOUND');

    const open = await create(alice, { preset: 'public_chat', room_alias_name: 'readable', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'world_readable' } }] });
    const visible = await send(alice, open, 'for everyone');
    const state = ok(await as(carol).get(`${r(open)}/state`)) as unknown as Ev[];
    assert.deepEqual(state.find((e) => e.type === 'm.room.history_visibility')?.content, { history_visibility: 'world_readable' });
    assert.deepEqual(memberships(ok(await as(carol).get(`${r(open)}/members`)).chunk as Ev[]), { [alice.userId]: 'join' });
    assert.deepEqual(ok(await as(carol).get(`${r(open)}/joined_members`)), { joined: { [alice.userId]: { display_name: 'alice' } } });
    assert.deepEqual(ok(await as(carol).get(`${r(open)}/aliases`)), { aliases: ['#readable:hs.test'] });
    assert.equal(ok(await as(carol).get(`${r(open)}/event/${enc(visible)}`)).event_id, visible);
    // Closed again: what was sent since is hidden from outsiders, what was sent before is not.
    await setState(alice, open, 'm.room.history_visibility', { history_visibility: 'shared' });
    const later = await send(alice, open, 'members only');
    err(await as(carol).get(`${r(open)}/event/${enc(later)}`), 404, 'M_NOT_FOUND');
    assert.equal(ok(await as(carol).get(`${r(open)}/event/${enc(visible)}`)).event_id, visible);
    err(await as(carol).get(`${r(open)}/state`), 403, 'M_FORBIDDEN');
  });

  it('joined history: events before the join are 404 to the newcomer, later ones readable', async () => {
    const roomId = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'joined' } }] });
    const early = await send(alice, roomId, 'before bob');
    ok(await as(bob).post(`${r(roomId)}/join`));
    const late = await send(alice, roomId, 'with bob');
    err(await as(bob).get(`${r(roomId)}/event/${enc(early)}`), 404, 'M_NOT_FOUND');
    assert.deepEqual((ok(await as(bob).get(`${r(roomId)}/event/${enc(late)}`)).content as Record<string, unknown>).body, 'with bob');
    assert.equal(ok(await as(alice).get(`${r(roomId)}/event/${enc(early)}`)).event_id, early);
    // An event of another room, through this room's path, is not found either.
    const elsewhere = await send(alice, await create(alice, { preset: 'public_chat' }), 'elsewhere');
    err(await as(alice).get(`${r(roomId)}/event/${enc(elsewhere)}`), 404, 'M_NOT_FOUND');
  });

  it('timestamp_to_event finds the closest event in both directions, 404 past the ends and for hidden events', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const ids: string[] = [];
    for (const body of ['one', 'two', 'three']) {
      await new Promise((res) => setTimeout(res, 5));
      ids.push(await send(alice, roomId, body));
    }
    const ts = await Promise.all(ids.map(async (id) => Number(ok(await as(alice).get(`${r(roomId)}/event/${enc(id)}`)).origin_server_ts)));
    const [t1, t2, t3] = ts as [number, number, number];
    const find = (u: TestUser, t: number, dir: string) => as(u).get(`${r(roomId)}/timestamp_to_event?ts=${t}&dir=${dir}`, V1);
    assert.deepEqual(ok(await find(alice, t2, 'f')), { event_id: ids[1], origin_server_ts: t2 });
    assert.deepEqual(ok(await find(alice, t2 + 1, 'f')), { event_id: ids[2], origin_server_ts: t3 });
    assert.deepEqual(ok(await find(alice, t2 - 1, 'b')), { event_id: ids[0], origin_server_ts: t1 });
    const past = await find(alice, t3 + 1, 'f');
    err(past, 404, 'M_NOT_FOUND');
    assert.equal(past.body.error, `Unable to find event from ${t3 + 1} in forward direction`);
    err(await find(alice, 1, 'b'), 404, 'M_NOT_FOUND');
    assert.equal((await find(alice, t2, 'x')).status, 400);
    // A non-member of a room that is not world-readable may not ask.
    err(await find(carol, t2, 'f'), 403, 'M_FORBIDDEN');
    // Bob joins a `joined` room late: what lies before his join is not found for him.
    await setState(alice, roomId, 'm.room.history_visibility', { history_visibility: 'joined' });
    const hiddenMsg = await send(alice, roomId, 'before bob');
    const hiddenTs = Number(ok(await as(alice).get(`${r(roomId)}/event/${enc(hiddenMsg)}`)).origin_server_ts);
    ok(await as(bob).post(`${r(roomId)}/join`));
    err(await find(bob, hiddenTs, 'b'), 404, 'M_NOT_FOUND');
    assert.equal(ok(await find(alice, hiddenTs, 'b')).event_id, hiddenMsg);
  });

  it('refuses malformed server ACLs and ACLs that would shut this server out', async () => {
    const roomId = await create(alice, { preset: 'public_chat' });
    const acl = (content: Record<string, unknown>) => as(alice).put(`${r(roomId)}/state/m.room.server_acl/`, content);
    const bad = await acl({ allow: ['*'], deny: 'evil.org' });
    err(bad, 400, 'M_BAD_JSON');
    assert.equal(bad.body.error, 'content.deny must be an array of strings');
    err(await acl({ allow: ['*'], allow_ip_literals: 'false' }), 400, 'M_BAD_JSON');
    const self = await acl({ allow: ['*'], deny: ['*.TEST'] });
    err(self, 400, 'M_INVALID_PARAM');
    assert.match(String(self.body.error), /hs\.test/);
    err(await acl({ allow: ['matrix.org'] }), 400, 'M_INVALID_PARAM');
    ok(await acl({ allow: ['*'], deny: ['evil.org'], allow_ip_literals: false }));
    assert.deepEqual(ok(await as(alice).get(`${r(roomId)}/state/m.room.server_acl`)), { allow: ['*'], deny: ['evil.org'], allow_ip_literals: false });
  });

  it('guests join and read only rooms with guest access, and world-readable rooms', async () => {
    const reg = await s.call('POST', `${V3}/register?kind=guest`, { body: {} });
    const guest = { accessToken: String(ok(reg).access_token), userId: String(reg.body.user_id) };
    const closed = await create(alice, { preset: 'public_chat' });
    err(await as(guest).post(`${r(closed)}/join`), 403, 'M_FORBIDDEN');
    err(await as(guest).get(`${r(closed)}/state`), 403, 'M_FORBIDDEN');

    const welcoming = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.guest_access', content: { guest_access: 'can_join' } }] });
    ok(await as(guest).post(`${r(welcoming)}/join`));
    const m = await send(alice, welcoming, 'hello guest');
    assert.equal(ok(await as(guest).get(`${r(welcoming)}/event/${enc(m)}`)).event_id, m);
    assert.deepEqual(memberships(ok(await as(guest).get(`${r(welcoming)}/members`)).chunk as Ev[]), { [alice.userId]: 'join', [guest.userId]: 'join' });
    // Guest access withdrawn: the guest reads as an outsider (the room is not world-readable).
    await setState(alice, welcoming, 'm.room.guest_access', { guest_access: 'forbidden' });
    err(await as(guest).get(`${r(welcoming)}/state`), 403, 'M_FORBIDDEN');
    err(await as(guest).get(`${r(welcoming)}/event/${enc(m)}`), 404, 'M_NOT_FOUND');

    const readable = await create(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'world_readable' } }] });
    const seen = await send(alice, readable, 'anyone');
    ok(await as(guest).get(`${r(readable)}/state`));
    assert.equal(ok(await as(guest).get(`${r(readable)}/event/${enc(seen)}`)).event_id, seen);
    // Guests have no business with joined_members or timestamp_to_event.
    err(await as(guest).get(`${r(readable)}/joined_members`), 403, 'M_GUEST_ACCESS_FORBIDDEN');
  });

  it('a deactivated account leaves its rooms and rejects its invites', async () => {
    const dave = await s.register('dave', { password: 'pw-dave' });
    const joined = await create(alice, { preset: 'public_chat' });
    const invited = await create(alice, { preset: 'private_chat', invite: [dave.userId] });
    ok(await as(dave).post(`${r(joined)}/join`));
    const first = await as(dave).post('/account/deactivate');
    assert.equal(first.status, 401);
    ok(await as(dave).post('/account/deactivate', { auth: passwordAuth(dave, String(first.body.session)) }));
    assert.deepEqual(ok(await as(alice).get(`${r(joined)}/joined_members`)), { joined: { [alice.userId]: { display_name: 'alice' } } });
    assert.equal(memberships(ok(await as(alice).get(`${r(joined)}/members`)).chunk as Ev[])[dave.userId], 'leave');
    assert.equal(memberships(ok(await as(alice).get(`${r(invited)}/members`)).chunk as Ev[])[dave.userId], 'leave');
  });
});
