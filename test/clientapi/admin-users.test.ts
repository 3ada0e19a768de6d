/**
 * Synapse's user admin API over HTTP (`/_synapse/admin/v2/users…`, `v1/deactivate`,
 * `v1/reset_password`, `v1/users/{userId}/admin`): who may call it, what it answers, and that
 * its changes take effect on logins, tokens, profiles and rooms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { okBody, SERVER_NAME, SHARED_SECRET, startClientTestServer, type ClientTestServer, type Res, type TestUser, assertError, localUserId } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const ADMIN = '/_synapse/admin';
const enc = encodeURIComponent;
const uid = localUserId;


describe('Synapse user admin API', () => {
  let s: ClientTestServer;
  let admin: TestUser;
  let alice: TestUser;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, guests: true, shared_secret: SHARED_SECRET } });
    admin = await s.register('ua-admin', { admin: true });
    alice = await s.register('ua-alice');
  });
  after(() => s.stop());

  const call = (as: TestUser | undefined, method: string, path: string, body?: unknown) => s.call(method, path, { token: as?.accessToken, body });
  const list = (query = '') => call(admin, 'GET', `${ADMIN}/v2/users${query}`);
  const getUser = (userId: string) => call(admin, 'GET', `${ADMIN}/v2/users/${enc(userId)}`);
  const putUser = (userId: string, body: unknown, as = admin) => call(as, 'PUT', `${ADMIN}/v2/users/${enc(userId)}`, body);
  const whoami = (u: TestUser) => call(u, 'GET', `${V3}/account/whoami`);
  const login = (localpart: string, password: string) =>
    s.call('POST', `${V3}/login`, { body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: localpart }, password } });
  const names = (res: Res) => (okBody(res).users as Array<Record<string, unknown>>).map((u) => u.name);

  describe('who may call it', () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', `${ADMIN}/v2/users`],
      ['GET', `${ADMIN}/v2/users/${enc(uid('ua-alice'))}`],
      ['PUT', `${ADMIN}/v2/users/${enc(uid('ua-new'))}`, { password: 'x' }],
      ['POST', `${ADMIN}/v1/deactivate/${enc(uid('ua-admin'))}`, {}],
      ['POST', `${ADMIN}/v1/reset_password/${enc(uid('ua-admin'))}`, { new_password: 'x' }],
      ['GET', `${ADMIN}/v1/users/${enc(uid('ua-alice'))}/admin`],
      ['PUT', `${ADMIN}/v1/users/${enc(uid('ua-alice'))}/admin`, { admin: true }],
    ];
    for (const [method, path, body] of routes) {
      it(`${method} ${path.split('/').slice(0, 5).join('/')}…: 403 M_FORBIDDEN for non-admins, 401 without a token`, async () => {
        assertError(await call(alice, method, path, body), 403, 'M_FORBIDDEN', 'non-admin');
        assertError(await call(undefined, method, path, body), 401, 'M_MISSING_TOKEN', 'no token');
      });
    }
    it('left everything unchanged', async () => {
      assert.equal((await getUser(uid('ua-new'))).status, 404);
      okBody(await whoami(admin));
      assert.deepEqual(okBody(await call(admin, 'GET', `${ADMIN}/v1/users/${enc(alice.userId)}/admin`)), { admin: false });
    });
  });

  describe('GET /v2/users', () => {
    let guestId: string;
    before(async () => {
      for (const name of ['ua-lb', 'ua-lc', 'ua-ld']) await s.register(name);
      await putUser(uid('ua-lc'), { displayname: 'Charlie Zebra' });
      const guest = await s.call('POST', `${V3}/register?kind=guest`, { body: {} });
      guestId = String(okBody(guest).user_id);
      okBody(await call(admin, 'POST', `${ADMIN}/v1/deactivate/${enc(uid('ua-ld'))}`, {}));
    });

    it("lists users with Synapse's fields, by user ID, guests included, deactivated left out", async () => {
      const body = okBody(await list());
      assert.deepEqual(names(await list()), [guestId, uid('ua-admin'), uid('ua-alice'), uid('ua-lb'), uid('ua-lc')].sort());
      assert.equal(body.total, 5);
      assert.equal(Object.hasOwn(body, 'next_token'), false);
      const lb = (body.users as Array<Record<string, unknown>>).find((u) => u.name === uid('ua-lb'))!;
      assert.equal(typeof lb.creation_ts, 'number');
      assert.ok(Math.abs(Number(lb.creation_ts) - Date.now()) < 60_000, 'creation_ts is in ms in the list');
      assert.equal(typeof lb.last_seen_ts, lb.last_seen_ts === null ? 'object' : 'number');
      const { creation_ts: _c, last_seen_ts: _l, ...rest } = lb;
      assert.deepEqual(rest, {
        name: uid('ua-lb'),
        is_guest: false,
        admin: false,
        user_type: null,
        deactivated: false,
        erased: false,
        shadow_banned: false,
        displayname: 'ua-lb',
        avatar_url: null,
        locked: false,
      });
      const guest = (body.users as Array<Record<string, unknown>>).find((u) => u.name === guestId)!;
      assert.equal(guest.is_guest, true);
    });

    it('pages with limit, from and next_token, counting every match', async () => {
      const first = okBody(await list('?limit=2'));
      assert.deepEqual([first.total, first.next_token, (first.users as unknown[]).length], [5, '2', 2]);
      const second = okBody(await list(`?limit=2&from=${String(first.next_token)}`));
      assert.deepEqual([second.total, second.next_token, (second.users as unknown[]).length], [5, '4', 2]);
      const last = okBody(await list(`?limit=2&from=${String(second.next_token)}`));
      assert.deepEqual([last.total, Object.hasOwn(last, 'next_token'), (last.users as unknown[]).length], [5, false, 1]);
      const all = [...(first.users as Array<{ name: string }>), ...(second.users as Array<{ name: string }>), ...(last.users as Array<{ name: string }>)];
      assert.deepEqual(all.map((u) => u.name), names(await list()));
    });

    it('filters by name (localpart or display name), user_id, guests, deactivated and admins', async () => {
      assert.deepEqual(names(await list('?name=zebra')), [uid('ua-lc')]);
      assert.deepEqual(names(await list('?name=ua-l')), [uid('ua-lb'), uid('ua-lc')]);
      assert.deepEqual(names(await list(`?user_id=${enc(':' + SERVER_NAME)}&guests=false`)), [uid('ua-admin'), uid('ua-alice'), uid('ua-lb'), uid('ua-lc')]);
      assert.deepEqual(names(await list('?user_id=ALICE')), [uid('ua-alice')]);
      assert.deepEqual(names(await list('?name=ua-l&deactivated=true')), [uid('ua-lb'), uid('ua-lc'), uid('ua-ld')]);
      const withDeactivated = okBody(await list('?name=ua-ld&deactivated=true')).users as Array<Record<string, unknown>>;
      assert.equal(withDeactivated[0]!.deactivated, true);
      assert.deepEqual(names(await list('?admins=true')), [uid('ua-admin')]);
      assert.equal(okBody(await list('?guests=false')).total, 4);
      assert.deepEqual(okBody(await list('?not_user_type=')), { users: [], total: 0 });
    });

    it('orders by name, creation time, admin flag and display name, in either direction', async () => {
      const ours = '&user_id=ua-';
      assert.deepEqual(names(await list(`?dir=b${ours}`)), [uid('ua-lc'), uid('ua-lb'), uid('ua-alice'), uid('ua-admin')]);
      assert.deepEqual(names(await list(`?order_by=creation_ts${ours}`)), [uid('ua-admin'), uid('ua-alice'), uid('ua-lb'), uid('ua-lc')]);
      assert.deepEqual(names(await list(`?order_by=creation_ts&dir=b${ours}`)), [uid('ua-lc'), uid('ua-lb'), uid('ua-alice'), uid('ua-admin')]);
      assert.deepEqual(names(await list(`?order_by=admin&dir=b${ours}`)), [uid('ua-admin'), uid('ua-alice'), uid('ua-lb'), uid('ua-lc')]);
      // Display names: "Charlie Zebra" sorts before the default (localpart) names.
      assert.deepEqual(names(await list(`?order_by=displayname${ours}`)), [uid('ua-lc'), uid('ua-admin'), uid('ua-alice'), uid('ua-lb')]);
      assert.deepEqual(names(await list(`?order_by=deactivated&dir=b&deactivated=true&name=ua-l`)), [uid('ua-ld'), uid('ua-lb'), uid('ua-lc')]);
    });

    it('refuses an unknown order, direction or a malformed number with 400 M_INVALID_PARAM', async () => {
      assertError(await list('?order_by=password'), 400, 'M_INVALID_PARAM', 'order_by');
      assertError(await list('?dir=up'), 400, 'M_INVALID_PARAM', 'dir');
      assertError(await list('?limit=-1'), 400, 'M_INVALID_PARAM', 'limit');
      assertError(await list('?from=x'), 400, 'M_INVALID_PARAM', 'from');
    });
  });

  describe('GET /v2/users/{userId}', () => {
    it('answers the user object, creation_ts in seconds as Synapse', async () => {
      const body = okBody(await getUser(alice.userId));
      const { creation_ts: created, last_seen_ts: seen, ...rest } = body;
      assert.ok(Math.abs(Number(created) - Date.now() / 1000) < 60, `creation_ts ${String(created)} in seconds`);
      assert.equal(typeof seen, seen === null ? 'object' : 'number');
      assert.deepEqual(rest, {
        name: alice.userId,
        is_guest: false,
        admin: false,
        user_type: null,
        deactivated: false,
        erased: false,
        shadow_banned: false,
        displayname: 'ua-alice',
        avatar_url: null,
        locked: false,
        threepids: [],
        external_ids: [],
        appservice_id: null,
        consent_server_notice_sent: null,
        consent_version: null,
        consent_ts: null,
        suspended: false,
      });
    });

    it('shows when a device was last seen', async () => {
      await whoami(alice);
      const { devices } = okBody(await call(alice, 'GET', `${V3}/devices`)) as { devices: Array<{ last_seen_ts?: number }> };
      const latest = Math.max(...devices.map((d) => d.last_seen_ts ?? 0));
      assert.ok(latest > 0);
      assert.equal(okBody(await getUser(alice.userId)).last_seen_ts, latest);
    });

    it('is 404 M_NOT_FOUND for unknown users and 400 for remote or malformed IDs', async () => {
      assertError(await getUser(uid('ua-nobody')), 404, 'M_NOT_FOUND', 'unknown');
      assertError(await getUser('@bob:remote.example'), 400, 'M_UNKNOWN', 'remote');
      assertError(await getUser('not-a-user-id'), 400, 'M_INVALID_PARAM', 'malformed');
    });
  });

  describe('PUT /v2/users/{userId}', () => {
    it('creates an account (201) that can log in with its password', async () => {
      const res = await putUser(uid('ua-created'), { password: 'pw-created', displayname: 'Created One', avatar_url: 'mxc://hs/c', threepids: [], unknown: 1 });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(
        [res.body.name, res.body.displayname, res.body.avatar_url, res.body.admin, res.body.deactivated],
        [uid('ua-created'), 'Created One', 'mxc://hs/c', false, false],
      );
      const logged = okBody(await login('ua-created', 'pw-created'));
      assert.equal(logged.user_id, uid('ua-created'));
      assert.equal((await login('ua-created', 'wrong')).status, 403);
      const made = await putUser(uid('ua-created-admin'), { password: 'pw', admin: true });
      assert.deepEqual([made.status, made.body.admin, made.body.displayname], [201, true, 'ua-created-admin']);
    });

    it('refuses an invalid localpart and an avatar that is not an mxc URI', async () => {
      assertError(await putUser(uid('UA Bad'), { password: 'pw' }), 400, 'M_INVALID_USERNAME', 'bad localpart');
      assertError(await putUser(uid('ua-bad-avatar'), { avatar_url: 'https://x/y' }), 400, 'M_INVALID_PARAM', 'avatar');
      assert.equal((await getUser(uid('ua-bad-avatar'))).status, 404, 'nothing created');
      assertError(await putUser('@x:remote.example', { password: 'pw' }), 400, 'M_UNKNOWN', 'remote');
    });

    it('changes the display name through the profile path, so rooms get the new name', async () => {
      const u = await s.register('ua-named');
      const roomId = String(okBody(await call(u, 'POST', `${V3}/createRoom`, { preset: 'private_chat' })).room_id);
      const res = await putUser(u.userId, { displayname: 'New Name' });
      assert.deepEqual([res.status, res.body.displayname], [200, 'New Name']);
      assert.deepEqual(okBody(await s.call('GET', `${V3}/profile/${enc(u.userId)}/displayname`)), { displayname: 'New Name' });
      const member = okBody(await call(u, 'GET', `${V3}/rooms/${enc(roomId)}/state/m.room.member/${enc(u.userId)}`));
      assert.equal(member.displayname, 'New Name');
      okBody(await putUser(u.userId, { displayname: '' }));
      assert.equal(okBody(await getUser(u.userId)).displayname, null, '"" removes it');
    });

    it('grants and revokes admin rights, taking effect on the next request', async () => {
      const u = await s.register('ua-promoted');
      assertError(await call(u, 'GET', `${ADMIN}/v2/users`), 403, 'M_FORBIDDEN', 'before');
      assert.equal(okBody(await putUser(u.userId, { admin: true })).admin, true);
      okBody(await call(u, 'GET', `${ADMIN}/v2/users`));
      assert.equal(okBody(await putUser(u.userId, { admin: false })).admin, false);
      assertError(await call(u, 'GET', `${ADMIN}/v2/users`), 403, 'M_FORBIDDEN', 'after');
    });

    it('refuses to let an admin demote themselves', async () => {
      assertError(await putUser(admin.userId, { admin: false, displayname: 'Not Applied' }), 400, 'M_UNKNOWN', 'self-demotion');
      const me = okBody(await getUser(admin.userId));
      assert.deepEqual([me.admin, me.displayname], [true, 'ua-admin'], 'nothing changed');
      assert.equal(okBody(await putUser(admin.userId, { admin: true })).admin, true, 'keeping admin is fine');
    });

    it('changes the password, logging out every device unless logout_devices is false', async () => {
      const u = await s.register('ua-pw', { password: 'old' });
      okBody(await putUser(u.userId, { password: 'new1', logout_devices: false }));
      okBody(await whoami(u));
      okBody(await putUser(u.userId, { password: 'new2' }));
      assertError(await whoami(u), 401, 'M_UNKNOWN_TOKEN', 'old token');
      assert.equal((await login('ua-pw', 'new1')).status, 403);
      okBody(await login('ua-pw', 'new2'));
    });

    it('locks and unlocks; locked accounts leave the default list', async () => {
      const u = await s.register('ua-locked');
      assert.equal(okBody(await putUser(u.userId, { locked: true })).locked, true);
      assertError(await whoami(u), 401, 'M_USER_LOCKED', 'locked');
      assert.deepEqual(names(await list('?user_id=ua-locked')), []);
      assert.deepEqual(names(await list('?user_id=ua-locked&locked=true')), [u.userId]);
      assert.equal(okBody(await putUser(u.userId, { locked: false })).locked, false);
      okBody(await whoami(u));
    });

    it('deactivates: login fails and the user left their rooms', async () => {
      const u = await s.register('ua-gone', { password: 'pw' });
      const roomId = String(okBody(await call(admin, 'POST', `${V3}/createRoom`, { preset: 'public_chat' })).room_id);
      okBody(await call(u, 'POST', `${V3}/join/${enc(roomId)}`, {}));
      assertError(await putUser(u.userId, { deactivated: true, locked: true }), 400, 'M_UNKNOWN', 'both');
      const res = await putUser(u.userId, { deactivated: true });
      assert.deepEqual([res.status, res.body.deactivated], [200, true]);
      assertError(await whoami(u), 401, 'M_UNKNOWN_TOKEN', 'token gone');
      assert.equal((await login('ua-gone', 'pw')).status, 403);
      const member = okBody(await call(admin, 'GET', `${V3}/rooms/${enc(roomId)}/state/m.room.member/${enc(u.userId)}`));
      assert.equal(member.membership, 'leave');
    });

    it('re-activates with a new password; a password alone is refused while deactivated', async () => {
      const u = await s.register('ua-back', { password: 'pw' });
      okBody(await putUser(u.userId, { deactivated: true }));
      assertError(await putUser(u.userId, { password: 'pw2' }), 400, 'M_UNKNOWN', 'password without re-activation');
      assert.equal(okBody(await getUser(u.userId)).deactivated, true, 'nothing changed');
      assert.deepEqual(names(await list('?user_id=ua-back')), [], 'deactivated accounts are not listed');
      const res = await putUser(u.userId, { deactivated: false, password: 'pw2', locked: true });
      assert.deepEqual([res.status, res.body.deactivated, res.body.locked], [200, false, true]);
      okBody(await putUser(u.userId, { locked: false }));
      assert.equal((await login('ua-back', 'pw')).status, 403, 'the old password is gone');
      const back = okBody(await login('ua-back', 'pw2'));
      assert.equal(back.user_id, u.userId);
      assert.deepEqual(names(await list('?user_id=ua-back')), [u.userId]);
    });
  });

  describe('POST /v1/deactivate/{userId}', () => {
    it('deactivates (empty body fine) and answers id_server_unbind_result success', async () => {
      const u = await s.register('ua-deact', { password: 'pw' });
      const res = await s.call('POST', `${ADMIN}/v1/deactivate/${enc(u.userId)}`, { token: admin.accessToken });
      assert.deepEqual([res.status, res.body], [200, { id_server_unbind_result: 'success' }]);
      assertError(await whoami(u), 401, 'M_UNKNOWN_TOKEN', 'token gone');
      assert.equal((await login('ua-deact', 'pw')).status, 403);
      assert.equal(okBody(await getUser(u.userId)).deactivated, true);
    });

    it('clears the profile with erase', async () => {
      const u = await s.register('ua-erased');
      okBody(await call(admin, 'POST', `${ADMIN}/v1/deactivate/${enc(u.userId)}`, { erase: true }));
      const body = okBody(await getUser(u.userId));
      assert.deepEqual([body.deactivated, body.displayname, body.erased], [true, null, false]);
    });

    it('is 404 for unknown users, 400 for remote ones and a non-boolean erase', async () => {
      assertError(await call(admin, 'POST', `${ADMIN}/v1/deactivate/${enc(uid('ua-nobody'))}`, {}), 404, 'M_NOT_FOUND', 'unknown');
      assertError(await call(admin, 'POST', `${ADMIN}/v1/deactivate/${enc('@x:remote.example')}`, {}), 400, 'M_UNKNOWN', 'remote');
      assertError(await call(admin, 'POST', `${ADMIN}/v1/deactivate/${enc(alice.userId)}`, { erase: 'yes' }), 400, 'M_BAD_JSON', 'erase');
      okBody(await whoami(alice));
    });
  });

  describe('POST /v1/reset_password/{userId}', () => {
    const reset = (userId: string, body: unknown) => call(admin, 'POST', `${ADMIN}/v1/reset_password/${enc(userId)}`, body);

    it('sets the password and logs out every device by default', async () => {
      const u = await s.register('ua-reset', { password: 'old' });
      assert.deepEqual(okBody(await reset(u.userId, { new_password: 'kept', logout_devices: false })), {});
      okBody(await whoami(u));
      assert.deepEqual(okBody(await reset(u.userId, { new_password: 'fresh' })), {});
      assertError(await whoami(u), 401, 'M_UNKNOWN_TOKEN', 'logged out');
      assert.equal((await login('ua-reset', 'old')).status, 403);
      okBody(await login('ua-reset', 'fresh'));
    });

    it('needs new_password and a known user', async () => {
      assertError(await reset(alice.userId, {}), 400, 'M_MISSING_PARAM', 'missing');
      assertError(await reset(uid('ua-nobody'), { new_password: 'x' }), 404, 'M_NOT_FOUND', 'unknown');
      assertError(await reset('@x:remote.example', { new_password: 'x' }), 404, 'M_NOT_FOUND', 'remote');
      assertError(await reset('nobody', { new_password: 'x' }), 400, 'M_INVALID_PARAM', 'malformed');
    });
  });

  describe('/v1/users/{userId}/admin', () => {
    const path = (userId: string) => `${ADMIN}/v1/users/${enc(userId)}/admin`;

    it('reads and sets the flag', async () => {
      const u = await s.register('ua-flag');
      assert.deepEqual(okBody(await call(admin, 'GET', path(u.userId))), { admin: false });
      assert.deepEqual(okBody(await call(admin, 'PUT', path(u.userId), { admin: true })), {});
      assert.deepEqual(okBody(await call(admin, 'GET', path(u.userId))), { admin: true });
      okBody(await call(u, 'GET', `${ADMIN}/v2/users`));
      assert.deepEqual(okBody(await call(admin, 'PUT', path(u.userId), { admin: false })), {});
      assert.deepEqual(okBody(await call(admin, 'GET', path(u.userId))), { admin: false });
    });

    it('refuses self-demotion, remote and unknown users, and a missing flag', async () => {
      assertError(await call(admin, 'PUT', path(admin.userId), { admin: false }), 400, 'M_UNKNOWN', 'self-demotion');
      assert.deepEqual(okBody(await call(admin, 'GET', path(admin.userId))), { admin: true });
      assertError(await call(admin, 'GET', path('@x:remote.example')), 400, 'M_UNKNOWN', 'remote GET');
      assertError(await call(admin, 'PUT', path('@x:remote.example'), { admin: true }), 400, 'M_UNKNOWN', 'remote PUT');
      assertError(await call(admin, 'GET', path(uid('ua-nobody'))), 404, 'M_NOT_FOUND', 'unknown GET');
      assertError(await call(admin, 'PUT', path(uid('ua-nobody')), { admin: true }), 404, 'M_NOT_FOUND', 'unknown PUT');
      assertError(await call(admin, 'PUT', path(alice.userId), {}), 400, 'M_MISSING_PARAM', 'missing');
    });
  });
});
