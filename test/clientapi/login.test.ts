import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordAuth, startClientTestServer, type ClientTestServer, type TestUser } from './client-test-server.js';

const LOGIN = '/_matrix/client/v3/login';
const WHOAMI = '/_matrix/client/v3/account/whoami';

describe('login and sessions', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  before(async () => {
    s = await startClientTestServer();
    alice = await s.register('alice', { password: 'correct horse' });
  });
  after(() => s.stop());

  it('GET /login lists password and token login, with get_login_token', async () => {
    const res = await s.call('GET', LOGIN);
    assert.deepEqual(res.body, { flows: [{ type: 'm.login.password' }, { type: 'm.login.token', get_login_token: true }] });
  });

  it('logs in by localpart, full ID, any case, or the legacy user field', async () => {
    const bodies = [
      { identifier: { type: 'm.id.user', user: 'alice' } },
      { identifier: { type: 'm.id.user', user: '@alice:hs.test' } },
      { identifier: { type: 'm.id.user', user: 'ALICE' } },
      { user: '@Alice:hs.test' },
    ];
    for (const b of bodies) {
      const res = await s.call('POST', LOGIN, { body: { type: 'm.login.password', password: 'correct horse', ...b } });
      assert.equal(res.status, 200, JSON.stringify(b));
      assert.equal(res.body.user_id, '@alice:hs.test');
      assert.equal(res.body.home_server, 'hs.test');
      const who = await s.call('GET', WHOAMI, { token: String(res.body.access_token) });
      assert.deepEqual(who.body, { user_id: '@alice:hs.test', device_id: res.body.device_id, is_guest: false });
    }
  });

  it('refuses wrong passwords, unknown users and 3PIDs with 403 M_FORBIDDEN', async () => {
    const bodies = [
      { identifier: { type: 'm.id.user', user: 'alice' }, password: 'wrong' },
      { identifier: { type: 'm.id.user', user: 'nobody' }, password: 'x' },
      { identifier: { type: 'm.id.user', user: '@alice:other.test' }, password: 'correct horse' },
      { identifier: { type: 'm.id.thirdparty', medium: 'email', address: 'a@example.org' }, password: 'x' },
    ];
    for (const b of bodies) {
      const res = await s.call('POST', LOGIN, { body: { type: 'm.login.password', ...b } });
      assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN'], JSON.stringify(b));
    }
  });

  it('rejects unknown login types and missing fields with 400', async () => {
    const unknown = await s.call('POST', LOGIN, { body: { type: 'm.login.carrier_pigeon' } });
    assert.deepEqual([unknown.status, unknown.body.errcode], [400, 'M_UNKNOWN']);
    const noType = await s.call('POST', LOGIN, { body: { user: 'alice', password: 'x' } });
    assert.deepEqual([noType.status, noType.body.errcode], [400, 'M_MISSING_PARAM']);
    const noPassword = await s.call('POST', LOGIN, { body: { type: 'm.login.password', user: 'alice' } });
    assert.deepEqual([noPassword.status, noPassword.body.errcode], [400, 'M_MISSING_PARAM']);
    const noToken = await s.call('POST', LOGIN, { body: { type: 'm.login.token' } });
    assert.deepEqual([noToken.status, noToken.body.errcode], [400, 'M_MISSING_PARAM']);
  });

  it('names the device as asked, and reusing a device ID replaces its token', async () => {
    const body = { type: 'm.login.password', user: 'alice', password: 'correct horse', device_id: 'LAPTOP', initial_device_display_name: 'Laptop' };
    const first = await s.call('POST', LOGIN, { body });
    assert.equal(first.body.device_id, 'LAPTOP');
    const second = await s.call('POST', LOGIN, { body: { ...body, initial_device_display_name: 'Other name' } });
    assert.equal(second.body.device_id, 'LAPTOP');
    const old = await s.call('GET', WHOAMI, { token: String(first.body.access_token) });
    assert.deepEqual([old.status, old.body.errcode], [401, 'M_UNKNOWN_TOKEN']);
    const dev = await s.call('GET', '/_matrix/client/v3/devices/LAPTOP', { token: String(second.body.access_token) });
    assert.equal(dev.body.display_name, 'Laptop', 'the display name is only for new devices');
  });

  it('issues refresh tokens on request, and /refresh rotates them', async () => {
    const login = await s.call('POST', LOGIN, { body: { type: 'm.login.password', user: 'alice', password: 'correct horse', refresh_token: true } });
    assert.equal(typeof login.body.refresh_token, 'string');
    assert.ok(Number(login.body.expires_in_ms) > 0);
    const refreshed = await s.call('POST', '/_matrix/client/v3/refresh', { body: { refresh_token: login.body.refresh_token } });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal(typeof refreshed.body.access_token, 'string');
    assert.notEqual(refreshed.body.access_token, login.body.access_token);
    assert.equal(typeof refreshed.body.refresh_token, 'string');
    const who = await s.call('GET', WHOAMI, { token: String(refreshed.body.access_token) });
    assert.equal(who.body.device_id, login.body.device_id, 'the new token is for the same device');
    const bogus = await s.call('POST', '/_matrix/client/v3/refresh', { body: { refresh_token: 'bogus' } });
    assert.deepEqual([bogus.status, bogus.body.errcode], [401, 'M_UNKNOWN_TOKEN']);
    const missing = await s.call('POST', '/_matrix/client/v3/refresh', { body: {} });
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
  });

  it('logs in with a token from /login/get_token once, after UIA', async () => {
    const GET_TOKEN = '/_matrix/client/v1/login/get_token';
    const first = await s.call('POST', GET_TOKEN, { token: alice.accessToken, body: {} });
    assert.equal(first.status, 401);
    assert.deepEqual(first.body.flows, [{ stages: ['m.login.password'] }]);
    const wrong = await s.call('POST', GET_TOKEN, { token: alice.accessToken, body: { auth: { ...passwordAuth(alice, String(first.body.session)), password: 'nope' } } });
    assert.deepEqual([wrong.status, wrong.body.errcode, wrong.body.session], [401, 'M_FORBIDDEN', first.body.session]);
    const ok = await s.call('POST', GET_TOKEN, { token: alice.accessToken, body: { auth: passwordAuth(alice, String(first.body.session)) } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.expires_in_ms, 120_000);
    const replay = await s.call('POST', GET_TOKEN, { token: alice.accessToken, body: { auth: passwordAuth(alice, String(first.body.session)) } });
    assert.equal(replay.status, 400, 'a spent session is gone: each token needs a fresh UIA');
    const login = await s.call('POST', LOGIN, { body: { type: 'm.login.token', token: ok.body.login_token } });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.user_id, alice.userId);
    const again = await s.call('POST', LOGIN, { body: { type: 'm.login.token', token: ok.body.login_token } });
    assert.deepEqual([again.status, again.body.errcode], [403, 'M_FORBIDDEN']);
    const noAuth = await s.call('POST', GET_TOKEN, { body: {} });
    assert.deepEqual([noAuth.status, noAuth.body.errcode], [401, 'M_MISSING_TOKEN']);
  });

  it('logs out one device, or all of them', async () => {
    const a = await s.login('alice', 'correct horse');
    const b = await s.login('alice', 'correct horse');
    const out = await s.call('POST', '/_matrix/client/v3/logout', { token: a.accessToken });
    assert.deepEqual([out.status, out.body], [200, {}]);
    assert.equal((await s.call('GET', WHOAMI, { token: a.accessToken })).body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal((await s.call('GET', WHOAMI, { token: b.accessToken })).status, 200);
    const devices = await s.call('GET', '/_matrix/client/v3/devices', { token: b.accessToken });
    assert.ok(!(devices.body.devices as Array<{ device_id: string }>).some((d) => d.device_id === a.deviceId), 'the device is gone');
    const all = await s.call('POST', '/_matrix/client/v3/logout/all', { token: b.accessToken });
    assert.equal(all.status, 200);
    for (const t of [b.accessToken, alice.accessToken]) assert.equal((await s.call('GET', WHOAMI, { token: t })).body.errcode, 'M_UNKNOWN_TOKEN');
    const unauth = await s.call('POST', '/_matrix/client/v3/logout');
    assert.deepEqual([unauth.status, unauth.body.errcode], [401, 'M_MISSING_TOKEN']);
  });

  it('whoami rejects unknown tokens', async () => {
    const res = await s.call('GET', WHOAMI, { token: 'nonsense' });
    assert.deepEqual([res.status, res.body.errcode, res.body.soft_logout], [401, 'M_UNKNOWN_TOKEN', undefined]);
  });
});

describe('deactivated accounts', () => {
  let s: ClientTestServer;
  before(async () => {
    s = await startClientTestServer();
  });
  after(() => s.stop());

  it('cannot log in: 403 M_USER_DEACTIVATED', async () => {
    const u = await s.register('leaver', { password: 'pw' });
    const first = await s.call('POST', '/_matrix/client/v3/account/deactivate', { token: u.accessToken, body: { auth: passwordAuth(u) } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const res = await s.call('POST', LOGIN, { body: { type: 'm.login.password', user: 'leaver', password: 'pw' } });
    assert.deepEqual([res.status, res.body.errcode], [403, 'M_USER_DEACTIVATED']);
  });
});

describe('failed-login rate limiting', () => {
  let s: ClientTestServer;
  before(async () => {
    s = await startClientTestServer({ rate_limiting: { enabled: true, login_per_second: 0.001, login_burst: 5, per_second: 100, burst: 1000 } });
  });
  after(() => s.stop());

  it('limits failed password attempts per user, counting UIA failures too, even for the right password', async () => {
    const target = await s.register('target', { password: 'right' });
    const other = await s.register('other', { password: 'right' });
    // UIA routes are in the generous default class, so only the per-user budget can stop this.
    for (let i = 0; i < 5; i++) {
      const res = await s.call('POST', '/_matrix/client/v3/delete_devices', { token: target.accessToken, body: { devices: [], auth: { ...passwordAuth(target), password: 'wrong' } } });
      assert.deepEqual([res.status, res.body.errcode], [401, 'M_FORBIDDEN']);
    }
    const limited = await s.call('POST', LOGIN, { body: { type: 'm.login.password', user: 'target', password: 'right' } });
    assert.deepEqual([limited.status, limited.body.errcode], [429, 'M_LIMIT_EXCEEDED']);
    assert.ok(Number(limited.body.retry_after_ms) > 0);
    const uia = await s.call('POST', '/_matrix/client/v3/delete_devices', { token: target.accessToken, body: { devices: [], auth: passwordAuth(target) } });
    assert.equal(uia.status, 429, 'the UIA password stage is limited as well');
    const fine = await s.call('POST', LOGIN, { body: { type: 'm.login.password', user: other.userId, password: 'right' } });
    assert.equal(fine.status, 200, 'other users are not affected');
  });

  it('limits login attempts per IP in the login class', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await s.call('POST', LOGIN, { body: { type: 'm.login.password', user: `nobody${i}`, password: 'x' } })).status);
    }
    assert.ok(codes.includes(429), `some attempt from this IP is limited: ${codes.join(',')}`);
  });
});
