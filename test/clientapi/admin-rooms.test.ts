/**
 * Synapse's read-only room admin API over HTTP (`/_synapse/admin/v1/rooms`, `…/{roomId}`,
 * `…/members`, `…/state`): who may call it, Synapse's fields for known rooms, its orders,
 * search and paging.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { okBody, SERVER_NAME, startClientTestServer, type ClientTestServer, type TestUser, assertError } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const ROOMS = '/_synapse/admin/v1/rooms';
const enc = encodeURIComponent;
const MEGOLM = 'm.megolm.v1.aes-sha2';


describe('Synapse room admin API', () => {
  let s: ClientTestServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let alpha: string;
  let beta: string;
  let gamma: string;
  const call = (as: TestUser | undefined, method: string, path: string, body?: unknown) => s.call(method, path, { token: as?.accessToken, body });
  const createRoom = async (as: TestUser, body: unknown) => String(okBody(await call(as, 'POST', `${V3}/createRoom`, body)).room_id);
  const list = (query = '') => call(admin, 'GET', `${ROOMS}${query}`);
  const ids = async (query = '') => (okBody(await list(query)).rooms as Array<{ room_id: string }>).map((r) => r.room_id);
  const byId = (...roomIds: string[]) => [...roomIds].sort();

  before(async () => {
    s = await startClientTestServer();
    admin = await s.register('ar-admin', { admin: true });
    alice = await s.register('ar-alice');
    bob = await s.register('ar-bob');
    alpha = await createRoom(alice, { visibility: 'public', preset: 'public_chat', name: 'Alpha Room', room_alias_name: 'ar-alpha', room_version: '10' });
    okBody(await call(bob, 'POST', `${V3}/rooms/${enc(alpha)}/join`, {}));
    beta = await createRoom(alice, { name: 'beta', room_version: '11' });
    okBody(await call(alice, 'PUT', `${V3}/rooms/${enc(beta)}/state/m.room.encryption/`, { algorithm: MEGOLM }));
    gamma = await createRoom(bob, { topic: 'Gamma topic', creation_content: { type: 'm.space', 'm.federate': false } });
  });
  after(() => s.stop());

  it('refuses non-admins (403) and callers without a token (401)', async () => {
    for (const path of [ROOMS, `${ROOMS}/${enc(alpha)}`, `${ROOMS}/${enc(alpha)}/members`, `${ROOMS}/${enc(alpha)}/state`]) {
      assertError(await call(alice, 'GET', path), 403, 'M_FORBIDDEN', `${path} as non-admin`);
      assertError(await call(undefined, 'GET', path), 401, 'M_MISSING_TOKEN', `${path} without token`);
    }
  });

  it("lists every room with Synapse's fields, ordered by name by default", async () => {
    const body = okBody(await list());
    assert.deepEqual([body.offset, body.total_rooms, Object.hasOwn(body, 'next_batch'), Object.hasOwn(body, 'prev_batch')], [0, 3, false, false]);
    const rooms = body.rooms as Array<Record<string, unknown>>;
    assert.deepEqual(rooms.map((r) => r.room_id), [alpha, beta, gamma]);
    assert.deepEqual(rooms[0], {
      room_id: alpha,
      name: 'Alpha Room',
      canonical_alias: `#ar-alpha:${SERVER_NAME}`,
      joined_members: 2,
      joined_local_members: 2,
      version: '10',
      creator: alice.userId,
      encryption: null,
      federatable: true,
      public: true,
      join_rules: 'public',
      guest_access: 'forbidden',
      history_visibility: 'shared',
      // create, power levels, join rules, history visibility, guest access, alias, name, two members
      state_events: 9,
      room_type: null,
    });
    assert.deepEqual(rooms[1], {
      room_id: beta,
      name: 'beta',
      canonical_alias: null,
      joined_members: 1,
      joined_local_members: 1,
      version: '11',
      creator: alice.userId,
      encryption: MEGOLM,
      federatable: true,
      public: false,
      join_rules: 'invite',
      guest_access: 'can_join',
      history_visibility: 'shared',
      state_events: 8,
      room_type: null,
    });
    const g = rooms[2]!;
    assert.deepEqual([g.name, g.creator, g.federatable, g.room_type, g.version, g.encryption], [null, bob.userId, false, 'm.space', '11', null]);
  });

  it("sorts by each of Synapse's orders in its direction, ties by room ID, and reverses with dir=b", async () => {
    // beta and gamma tie on sizes, version, publicity and join rules: `lo` is the lower room ID.
    const [lo, hi] = byId(beta, gamma) as [string, string];
    assert.deepEqual(await ids('?dir=b'), [gamma, beta, alpha]);
    assert.deepEqual(await ids('?order_by=alphabetical'), [alpha, beta, gamma]);
    assert.deepEqual(await ids('?order_by=joined_members'), [alpha, hi, lo]);
    assert.deepEqual(await ids('?order_by=size&dir=b'), [lo, hi, alpha]);
    assert.deepEqual(await ids('?order_by=joined_local_members'), [alpha, hi, lo]);
    assert.deepEqual(await ids('?order_by=version'), [hi, lo, alpha]);
    assert.deepEqual(await ids('?order_by=public'), [lo, hi, alpha]);
    assert.deepEqual(await ids('?order_by=encryption'), [beta, ...byId(alpha, gamma)]);
    assert.deepEqual(await ids('?order_by=federatable'), [gamma, ...byId(alpha, beta)]);
    assert.deepEqual(await ids('?order_by=join_rules'), [lo, hi, alpha]);
    assert.deepEqual(await ids('?order_by=canonical_alias'), [alpha, lo, hi]);
    assert.deepEqual(await ids('?order_by=creator'), alice.userId < bob.userId ? [...byId(alpha, beta), gamma] : [gamma, ...byId(alpha, beta)]);
    assert.deepEqual(await ids('?order_by=state_events'), [alpha, beta, gamma]);
    assert.deepEqual(await ids('?order_by=state_events&dir=b'), [gamma, beta, alpha]);
  });

  it('pages with from and limit, giving next_batch and prev_batch as offsets', async () => {
    const first = okBody(await list('?limit=2'));
    assert.deepEqual([first.offset, first.total_rooms, first.next_batch, Object.hasOwn(first, 'prev_batch')], [0, 3, 2, false]);
    assert.deepEqual((first.rooms as Array<{ room_id: string }>).map((r) => r.room_id), [alpha, beta]);
    const last = okBody(await list('?limit=2&from=2'));
    assert.deepEqual([last.offset, last.total_rooms, last.prev_batch, Object.hasOwn(last, 'next_batch')], [2, 3, 0, false]);
    assert.deepEqual((last.rooms as Array<{ room_id: string }>).map((r) => r.room_id), [gamma]);
    const middle = okBody(await list('?limit=1&from=1&order_by=joined_members'));
    assert.deepEqual([middle.next_batch, middle.prev_batch, (middle.rooms as unknown[]).length], [2, 0, 1]);
    assert.deepEqual(okBody(await list('?limit=1&from=3')).prev_batch, 2);
    assert.deepEqual(okBody(await list('?from=10')).rooms, []);
  });

  it('searches names and alias localparts in any case, and whole room IDs', async () => {
    assert.deepEqual(await ids('?search_term=ALPHA'), [alpha]);
    assert.deepEqual(await ids('?search_term=ar-alp'), [alpha]);
    assert.deepEqual(await ids('?search_term=et'), [beta]);
    assert.deepEqual(await ids(`?search_term=${enc(gamma)}`), [gamma]);
    assert.deepEqual(await ids(`?search_term=${enc(gamma.slice(0, 6))}`), []);
    const none = okBody(await list(`?search_term=${enc(SERVER_NAME)}`));
    assert.deepEqual([none.rooms, none.total_rooms], [[], 0]);
    assert.deepEqual(okBody(await list('?search_term=a&limit=1')).total_rooms, 2);
  });

  it('filters public and empty rooms', async () => {
    assert.deepEqual(await ids('?public_rooms=true'), [alpha]);
    assert.deepEqual(await ids('?public_rooms=false'), [beta, gamma]);
    assert.deepEqual(await ids('?empty_rooms=true'), []);
    assert.equal(okBody(await list('?empty_rooms=false')).total_rooms, 3);
  });

  it('refuses an unknown order or direction, an empty search term and a negative limit with 400 M_INVALID_PARAM', async () => {
    assertError(await list('?order_by=topic'), 400, 'M_INVALID_PARAM', 'order_by');
    assertError(await list('?dir=up'), 400, 'M_INVALID_PARAM', 'dir');
    assertError(await list('?search_term='), 400, 'M_INVALID_PARAM', 'search_term');
    assertError(await list('?limit=-1'), 400, 'M_INVALID_PARAM', 'limit');
  });

  it('gives one room with avatar, topic, local devices, forgotten and tombstone fields', async () => {
    const body = okBody(await call(admin, 'GET', `${ROOMS}/${enc(alpha)}`));
    const listed = (okBody(await list('?search_term=alpha')).rooms as unknown[])[0] as Record<string, unknown>;
    assert.deepEqual(body, { ...listed, avatar: null, topic: null, joined_local_devices: 2, forgotten: false, tombstoned: false, replacement_room: null });
    await s.login('ar-bob', bob.password);
    assert.equal(okBody(await call(admin, 'GET', `${ROOMS}/${enc(alpha)}`)).joined_local_devices, 3);
    const g = okBody(await call(admin, 'GET', `${ROOMS}/${enc(gamma)}`));
    assert.deepEqual([g.topic, g.room_type, g.federatable], ['Gamma topic', 'm.space', false]);
  });

  it('lists joined members and the state in client format, filtered by type', async () => {
    assert.deepEqual(okBody(await call(admin, 'GET', `${ROOMS}/${enc(alpha)}/members`)), { members: byId(alice.userId, bob.userId), total: 2 });
    const state = okBody(await call(admin, 'GET', `${ROOMS}/${enc(beta)}/state`)).state as Array<Record<string, unknown>>;
    assert.deepEqual(state.map((e) => e.type).sort(), [
      'm.room.create',
      'm.room.encryption',
      'm.room.guest_access',
      'm.room.history_visibility',
      'm.room.join_rules',
      'm.room.member',
      'm.room.name',
      'm.room.power_levels',
    ]);
    const enc_ = state.find((e) => e.type === 'm.room.encryption')!;
    assert.deepEqual([enc_.room_id, enc_.sender, enc_.state_key, enc_.content], [beta, alice.userId, '', { algorithm: MEGOLM }]);
    assert.equal(typeof enc_.event_id, 'string');
    assert.equal(Object.hasOwn(enc_, 'signatures') || Object.hasOwn(enc_, 'auth_events'), false);
    const members = okBody(await call(admin, 'GET', `${ROOMS}/${enc(alpha)}/state?type=m.room.member`)).state as Array<Record<string, unknown>>;
    assert.deepEqual(members.map((e) => e.state_key).sort(), byId(alice.userId, bob.userId));
  });

  it('is 404 M_NOT_FOUND for unknown rooms', async () => {
    const unknown = `!nosuchroom:${SERVER_NAME}`;
    for (const path of [`${ROOMS}/${enc(unknown)}`, `${ROOMS}/${enc(unknown)}/members`, `${ROOMS}/${enc(unknown)}/state`]) {
      assertError(await call(admin, 'GET', path), 404, 'M_NOT_FOUND', path);
    }
  });

  it('shows a room every local member left and forgot as forgotten and empty', async () => {
    const delta = await createRoom(alice, { name: 'delta' });
    okBody(await call(alice, 'POST', `${V3}/rooms/${enc(delta)}/leave`, {}));
    assert.equal(okBody(await call(admin, 'GET', `${ROOMS}/${enc(delta)}`)).forgotten, false);
    okBody(await call(alice, 'POST', `${V3}/rooms/${enc(delta)}/forget`, {}));
    const body = okBody(await call(admin, 'GET', `${ROOMS}/${enc(delta)}`));
    assert.deepEqual([body.forgotten, body.joined_members, body.joined_local_devices], [true, 0, 0]);
    assert.deepEqual(await ids('?empty_rooms=true'), [delta]);
    assert.deepEqual(okBody(await call(admin, 'GET', `${ROOMS}/${enc(delta)}/members`)), { members: [], total: 0 });
  });

  it('shows an upgraded room as tombstoned, with its replacement', async () => {
    const upgraded = okBody(await call(alice, 'POST', `${V3}/rooms/${enc(beta)}/upgrade`, { new_version: '11' }));
    const body = okBody(await call(admin, 'GET', `${ROOMS}/${enc(beta)}`));
    assert.deepEqual([body.tombstoned, body.replacement_room], [true, upgraded.replacement_room]);
    assert.equal(typeof upgraded.replacement_room, 'string');
  });
});
