/**
 * Account locking and suspension over HTTP (spec v1.18 admin endpoints): who may use them, and
 * what a locked or suspended account can still do.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { okBody, passwordAuth, SERVER_NAME, startClientTestServer, type ClientTestServer, type Res, type TestUser, assertError } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

/** Asserts the spec's M_USER_LOCKED answer: 401 with `soft_logout: true`. */
function assertLocked(res: Res, what: string): void {
  assert.equal(res.status, 401, `${what}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.errcode, 'M_USER_LOCKED', what);
  assert.equal(res.body.soft_logout, true, what);
}

/** Asserts a refusal with this status and errcode. */

describe('account moderation', () => {
  let s: ClientTestServer;
  let admin: TestUser;
  let admin2: TestUser;
  let alice: TestUser;
  before(async () => {
    s = await startClientTestServer();
    admin = await s.register('mod-admin', { admin: true });
    admin2 = await s.register('mod-admin2', { admin: true });
    alice = await s.register('alice');
  });
  after(() => s.stop());

  const lockPath = (userId: string) => `/_matrix/client/v1/admin/lock/${enc(userId)}`;
  const suspendPath = (userId: string) => `/_matrix/client/v1/admin/suspend/${enc(userId)}`;
  const get = (as: TestUser, path: string) => s.call('GET', path, { token: as.accessToken });
  const put = (as: TestUser, path: string, body: unknown) => s.call('PUT', path, { token: as.accessToken, body });
  const post = (as: TestUser, path: string, body: unknown = {}) => s.call('POST', V3 + path, { token: as.accessToken, body });
  const createRoom = async (as: TestUser, body: Record<string, unknown> = { preset: 'public_chat' }) =>
    String(okBody(await post(as, '/createRoom', body)).room_id);
  let txn = 0;
  const send = (as: TestUser, roomId: string, type = 'm.room.message', content: unknown = { msgtype: 'm.text', body: 'hi' }) =>
    s.call('PUT', `${V3}/rooms/${enc(roomId)}/send/${enc(type)}/t${++txn}`, { token: as.accessToken, body: content });
  const redact = (as: TestUser, roomId: string, eventId: string) =>
    s.call('PUT', `${V3}/rooms/${enc(roomId)}/redact/${enc(eventId)}/r${++txn}`, { token: as.accessToken, body: {} });

  describe('capabilities', () => {
    it('offers m.account_moderation to admins and leaves it out for others', async () => {
      const forAdmin = okBody(await s.call('GET', `${V3}/capabilities`, { token: admin.accessToken })).capabilities as Record<string, unknown>;
      assert.deepEqual(forAdmin['m.account_moderation'], { lock: true, suspend: true });
      const forAlice = okBody(await s.call('GET', `${V3}/capabilities`, { token: alice.accessToken })).capabilities as Record<string, unknown>;
      assert.equal(Object.hasOwn(forAlice, 'm.account_moderation'), false);
      assert.deepEqual(forAlice['m.change_password'], { enabled: true });
    });
  });

  describe('who may lock and suspend', () => {
    for (const [name, path, field] of [
      ['lock', lockPath, 'locked'],
      ['suspend', suspendPath, 'suspended'],
    ] as const) {
      it(`${name}: admins only, checked before any lookup`, async () => {
        assertError(await get(alice, path(admin2.userId)), 403, 'M_FORBIDDEN', 'non-admin GET');
        assertError(await put(alice, path(alice.userId), { [field]: true }), 403, 'M_FORBIDDEN', 'non-admin PUT of self');
        // An unknown user looks the same as a known one to a non-admin: no enumeration.
        assertError(await get(alice, path(`@nobody:${SERVER_NAME}`)), 403, 'M_FORBIDDEN', 'non-admin GET of unknown user');
        assertError(await s.call('GET', path(alice.userId)), 401, 'M_MISSING_TOKEN', 'no token');
      });

      it(`${name}: 404 for unknown and deactivated users, 400 for remote ones`, async () => {
        assertError(await get(admin, path(`@nobody:${SERVER_NAME}`)), 404, 'M_NOT_FOUND', 'unknown GET');
        assertError(await put(admin, path(`@nobody:${SERVER_NAME}`), { [field]: true }), 404, 'M_NOT_FOUND', 'unknown PUT');
        assertError(await get(admin, path('@bob:remote.example')), 400, 'M_INVALID_PARAM', 'remote GET');
        assertError(await put(admin, path('@bob:remote.example'), { [field]: true }), 400, 'M_INVALID_PARAM', 'remote PUT');
      });

      it(`${name}: refuses the admin's own account and other admins`, async () => {
        assertError(await put(admin, path(admin.userId), { [field]: true }), 403, 'M_FORBIDDEN', 'PUT of self');
        assertError(await put(admin, path(admin2.userId), { [field]: true }), 403, 'M_FORBIDDEN', 'PUT of another admin');
        assertError(await get(admin, path(admin2.userId)), 403, 'M_FORBIDDEN', 'GET of another admin');
        assert.deepEqual(okBody(await get(admin, path(admin.userId))), { [field]: false });
        assertError(await put(admin, path(alice.userId), {}), 400, 'M_MISSING_PARAM', 'PUT without the flag');
      });
    }

    it('answers 404 for a deactivated account', async () => {
      const gone = await s.register('gone');
      const first = await post(gone, '/account/deactivate', {});
      okBody(await post(gone, '/account/deactivate', { auth: passwordAuth(gone, String(first.body.session)) }));
      assertError(await get(admin, lockPath(gone.userId)), 404, 'M_NOT_FOUND', 'GET lock');
      assertError(await put(admin, suspendPath(gone.userId), { suspended: true }), 404, 'M_NOT_FOUND', 'PUT suspend');
    });
  });

  describe('a locked account', () => {
    let bob: TestUser;
    let bob2: TestUser;
    let roomId: string;
    before(async () => {
      bob = await s.register('bob');
      bob2 = await s.login('bob', bob.password);
      roomId = await createRoom(admin);
    });

    it('is refused everything but logout, keeps its tokens and comes back on unlock', async () => {
      assert.deepEqual(okBody(await get(admin, lockPath(bob.userId))), { locked: false });
      assert.deepEqual(okBody(await put(admin, lockPath(bob.userId), { locked: true })), { locked: true });
      assert.deepEqual(okBody(await get(admin, lockPath(bob.userId))), { locked: true });

      assertLocked(await s.call('GET', `${V3}/sync?timeout=0`, { token: bob.accessToken }), '/sync');
      assertLocked(await s.call('GET', `${V3}/account/whoami`, { token: bob2.accessToken }), '/whoami');
      assertLocked(await send(bob, roomId), '/send');
      assertLocked(await post(bob, `/join/${enc(roomId)}`), '/join');
      const login = await s.call('POST', `${V3}/login`, {
        body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'bob' }, password: bob.password },
      });
      assertLocked(login, '/login');
      // The password is still checked first: a wrong one says nothing about the lock.
      const wrong = await s.call('POST', `${V3}/login`, {
        body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'bob' }, password: 'wrong' },
      });
      assertError(wrong, 403, 'M_FORBIDDEN', 'wrong password');

      assert.deepEqual(okBody(await post(bob, '/logout')), {});
      assertError(await s.call('GET', `${V3}/account/whoami`, { token: bob.accessToken }), 401, 'M_UNKNOWN_TOKEN', 'logged-out token');

      assert.deepEqual(okBody(await put(admin, lockPath(bob.userId), { locked: false })), { locked: false });
      assert.equal(okBody(await s.call('GET', `${V3}/account/whoami`, { token: bob2.accessToken })).user_id, bob.userId);
      assert.deepEqual(okBody(await get(admin, lockPath(bob.userId))), { locked: false });
    });

    it('may log out all its devices while locked', async () => {
      const dave = await s.register('dave');
      const dave2 = await s.login('dave', dave.password);
      okBody(await put(admin, lockPath(dave.userId), { locked: true }));
      assert.deepEqual(okBody(await post(dave, '/logout/all')), {});
      assertError(await s.call('GET', `${V3}/account/whoami`, { token: dave2.accessToken }), 401, 'M_UNKNOWN_TOKEN', 'other device after logout/all');
    });
  });

  describe('a suspended account', () => {
    let carol: TestUser;
    let room: string;
    let other: string;
    let leaveLater: string;
    let ownEvent: string;
    let adminEvent: string;
    before(async () => {
      carol = await s.register('carol');
      room = await createRoom(admin);
      other = await createRoom(admin);
      leaveLater = await createRoom(admin);
      okBody(await post(carol, `/join/${enc(room)}`));
      okBody(await post(carol, `/join/${enc(leaveLater)}`));
      ownEvent = String(okBody(await send(carol, room)).event_id);
      adminEvent = String(okBody(await send(admin, room)).event_id);
      assert.deepEqual(okBody(await put(admin, suspendPath(carol.userId), { suspended: true })), { suspended: true });
    });

    it('is reported suspended, and not locked', async () => {
      assert.deepEqual(okBody(await get(admin, suspendPath(carol.userId))), { suspended: true });
      assert.deepEqual(okBody(await get(admin, lockPath(carol.userId))), { locked: false });
    });

    it('is told by /capabilities that it may not change its profile', async () => {
      const caps = okBody(await s.call('GET', `${V3}/capabilities`, { token: carol.accessToken })).capabilities as Record<string, unknown>;
      for (const c of ['m.set_displayname', 'm.set_avatar_url', 'm.profile_fields']) assert.deepEqual(caps[c], { enabled: false }, c);
      assert.deepEqual(caps['m.change_password'], { enabled: true });
      const forAlice = okBody(await s.call('GET', `${V3}/capabilities`, { token: alice.accessToken })).capabilities as Record<string, unknown>;
      assert.deepEqual(forAlice['m.set_displayname'], { enabled: true });
    });

    it('may not send, join, knock, invite, create rooms, set state or change its profile', async () => {
      const refused: Array<[string, Res]> = [
        ['/send', await send(carol, room)],
        ['/join', await post(carol, `/join/${enc(other)}`)],
        ['/rooms/{id}/join', await post(carol, `/rooms/${enc(other)}/join`)],
        ['/knock', await post(carol, `/knock/${enc(other)}`)],
        ['/invite', await post(carol, `/rooms/${enc(room)}/invite`, { user_id: alice.userId })],
        ['/createRoom', await post(carol, '/createRoom', {})],
        ['/state', await s.call('PUT', `${V3}/rooms/${enc(room)}/state/m.room.topic`, { token: carol.accessToken, body: { topic: 'x' } })],
        ['displayname', await s.call('PUT', `${V3}/profile/${enc(carol.userId)}/displayname`, { token: carol.accessToken, body: { displayname: 'C' } })],
        ['avatar_url', await s.call('PUT', `${V3}/profile/${enc(carol.userId)}/avatar_url`, { token: carol.accessToken, body: { avatar_url: 'mxc://a/b' } })],
        ['delete displayname', await s.call('DELETE', `${V3}/profile/${enc(carol.userId)}/displayname`, { token: carol.accessToken })],
        ['redact another user’s event', await redact(carol, room, adminEvent)],
        ['/send m.room.redaction of another user’s event', await send(carol, room, 'm.room.redaction', { redacts: adminEvent })],
      ];
      for (const [what, res] of refused) {
        assertError(res, 403, 'M_USER_SUSPENDED', what);
        assert.equal(res.body.error, 'You cannot perform this action while suspended.', what);
      }
      const profile = okBody(await s.call('GET', `${V3}/profile/${enc(carol.userId)}`));
      assert.equal(profile.displayname, 'carol', 'the refused change left the profile alone');
    });

    it('may not accept an invite, but may reject it', async () => {
      const invited = await createRoom(admin, { preset: 'private_chat' });
      okBody(await post(admin, `/rooms/${enc(invited)}/invite`, { user_id: carol.userId }));
      assertError(await post(carol, `/rooms/${enc(invited)}/join`), 403, 'M_USER_SUSPENDED', 'accepting an invite');
      assert.deepEqual(okBody(await post(carol, `/rooms/${enc(invited)}/leave`)), {});
    });

    it('may still sync, read, redact its own events and leave', async () => {
      const sync = okBody(await s.call('GET', `${V3}/sync?timeout=0`, { token: carol.accessToken }));
      assert.ok((sync.rooms as { join: Record<string, unknown> }).join[room], 'the joined room is in /sync');
      okBody(await s.call('GET', `${V3}/rooms/${enc(room)}/messages?dir=b`, { token: carol.accessToken }));
      assert.match(String(okBody(await redact(carol, room, ownEvent)).event_id), /^\$/);
      assert.deepEqual(okBody(await post(carol, `/rooms/${enc(leaveLater)}/leave`)), {});
      okBody(await s.call('GET', `${V3}/account/whoami`, { token: carol.accessToken }));
    });

    it('may act again once unsuspended', async () => {
      assert.deepEqual(okBody(await put(admin, suspendPath(carol.userId), { suspended: false })), { suspended: false });
      assert.deepEqual(okBody(await get(admin, suspendPath(carol.userId))), { suspended: false });
      assert.match(String(okBody(await send(carol, room)).event_id), /^\$/);
      okBody(await post(carol, `/join/${enc(other)}`));
    });
  });
});
