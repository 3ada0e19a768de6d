import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registrationMac } from '../../src/clientapi/auth/shared-secret-mac.js';
import { SERVER_NAME, SHARED_SECRET, startClientTestServer, type ClientTestServer } from './client-test-server.js';

const REGISTER = '/_matrix/client/v3/register';

/** Registers through UIA with m.login.dummy: the 401, then the same body with the stage. */
async function registerWithDummy(s: ClientTestServer, body: Record<string, unknown>, query = '') {
  const first = await s.call('POST', REGISTER + query, { body });
  assert.equal(first.status, 401, JSON.stringify(first.body));
  return s.call('POST', REGISTER + query, { body: { ...body, auth: { type: 'm.login.dummy', session: first.body.session } } });
}

describe('POST /register', () => {
  let s: ClientTestServer;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, guests: true, shared_secret: SHARED_SECRET } });
  });
  after(() => s.stop());

  it('challenges with the dummy flow and a session, without an errcode', async () => {
    const res = await s.call('POST', REGISTER, { body: { username: 'probe', password: 'pw' } });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body.flows, [{ stages: ['m.login.dummy'] }]);
    assert.deepEqual(res.body.params, {});
    assert.equal(typeof res.body.session, 'string');
    assert.equal(res.body.errcode, undefined);
  });

  it('registers after the dummy stage and returns a working access token', async () => {
    const res = await registerWithDummy(s, { username: 'alice', password: 'secret', initial_device_display_name: 'Phone' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user_id, '@alice:hs.test');
    assert.equal(res.body.home_server, SERVER_NAME);
    assert.equal(typeof res.body.access_token, 'string');
    assert.equal(res.body.refresh_token, undefined);
    assert.equal(res.body.expires_in_ms, undefined);
    const who = await s.call('GET', '/_matrix/client/v3/account/whoami', { token: String(res.body.access_token) });
    assert.deepEqual(who.body, { user_id: '@alice:hs.test', device_id: res.body.device_id, is_guest: false });
    const dev = await s.call('GET', `/_matrix/client/v3/devices/${String(res.body.device_id)}`, { token: String(res.body.access_token) });
    assert.equal(dev.body.display_name, 'Phone');
  });

  it('lower-cases the username, and uses the client-chosen device ID and refresh tokens', async () => {
    const res = await registerWithDummy(s, { username: 'BoB', password: 'secret', device_id: 'MYDEVICE', refresh_token: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user_id, '@bob:hs.test');
    assert.equal(res.body.device_id, 'MYDEVICE');
    assert.equal(typeof res.body.refresh_token, 'string');
    assert.ok(typeof res.body.expires_in_ms === 'number' && res.body.expires_in_ms > 0);
  });

  it('with inhibit_login returns only the user ID', async () => {
    const res = await registerWithDummy(s, { username: 'carol', password: 'secret', inhibit_login: true });
    assert.deepEqual(res.body, { user_id: '@carol:hs.test', home_server: SERVER_NAME });
    const login = await s.call('POST', '/_matrix/client/v3/login', { body: { type: 'm.login.password', user: 'carol', password: 'secret' } });
    assert.equal(login.status, 200, 'the account exists and its password works');
  });

  it('generates a user ID when no username is given', async () => {
    const res = await registerWithDummy(s, { password: 'secret' });
    assert.equal(res.status, 200);
    assert.match(String(res.body.user_id), /^@[0-9]{10}:hs\.test$/);
  });

  it('reports username problems before UIA starts', async () => {
    await s.register('taken');
    const cases: Array<[string, string]> = [
      ['taken', 'M_USER_IN_USE'],
      ['TAKEN', 'M_USER_IN_USE'],
      ['bad name', 'M_INVALID_USERNAME'],
      ['émile', 'M_INVALID_USERNAME'],
      ['', 'M_INVALID_USERNAME'],
      ['12345', 'M_INVALID_USERNAME'],
      ['x'.repeat(250), 'M_INVALID_USERNAME'],
    ];
    for (const [username, errcode] of cases) {
      const res = await s.call('POST', REGISTER, { body: { username, password: 'pw' } });
      assert.equal(res.status, 400, username);
      assert.equal(res.body.errcode, errcode, username);
    }
  });

  it('needs a password once UIA is done', async () => {
    const res = await registerWithDummy(s, { username: 'nopass' });
    assert.equal(res.status, 400);
    assert.equal(res.body.errcode, 'M_MISSING_PARAM');
  });

  it('refuses a session reused for a different body', async () => {
    const first = await s.call('POST', REGISTER, { body: { username: 'dave', password: 'pw' } });
    const res = await s.call('POST', REGISTER, { body: { username: 'eve', password: 'pw', auth: { type: 'm.login.dummy', session: first.body.session } } });
    assert.equal(res.status, 403);
    assert.equal(res.body.errcode, 'M_FORBIDDEN');
  });

  it('lets a session begun by an empty probe carry the real registration', async () => {
    const probe = await s.call('POST', REGISTER, { body: {} });
    assert.equal(probe.status, 401);
    const res = await s.call('POST', REGISTER, { body: { username: 'frank', password: 'pw', auth: { type: 'm.login.dummy', session: probe.body.session } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  it('rejects an unknown session and malformed bodies', async () => {
    const unknown = await s.call('POST', REGISTER, { body: { username: 'gina', password: 'pw', auth: { type: 'm.login.dummy', session: 'nope' } } });
    assert.equal(unknown.status, 400);
    const bad = await s.call('POST', REGISTER, { body: { username: 5 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errcode, 'M_BAD_JSON');
    const long = await s.call('POST', REGISTER, { body: { username: 'h', password: 'x'.repeat(513) } });
    assert.equal(long.body.errcode, 'M_BAD_JSON');
    const kind = await s.call('POST', `${REGISTER}?kind=admin`, { body: {} });
    assert.equal(kind.body.errcode, 'M_INVALID_PARAM');
  });

  it('registers guests without UIA, ignoring all but the device display name', async () => {
    const res = await s.call('POST', `${REGISTER}?kind=guest`, { body: { username: 'ignored', device_id: 'IGNORED', initial_device_display_name: 'Guest phone' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(String(res.body.user_id), /^@[0-9]{10}:hs\.test$/);
    assert.notEqual(res.body.device_id, 'IGNORED');
    const who = await s.call('GET', '/_matrix/client/v3/account/whoami', { token: String(res.body.access_token) });
    assert.equal(who.body.is_guest, true);
    const devices = await s.call('GET', '/_matrix/client/v3/devices', { token: String(res.body.access_token) });
    assert.equal((devices.body.devices as Array<Record<string, unknown>>)[0]?.display_name, 'Guest phone');
    const userOnly = await s.call('GET', '/_matrix/client/v3/pushrules/', { token: String(res.body.access_token) });
    assert.equal(userOnly.status, 403);
    assert.equal(userOnly.body.errcode, 'M_GUEST_ACCESS_FORBIDDEN');
  });
});

describe('GET /register/available', () => {
  let s: ClientTestServer;
  before(async () => {
    s = await startClientTestServer();
    await s.register('used');
  });
  after(() => s.stop());

  it('answers available for a free name and the registration error otherwise', async () => {
    const free = await s.call('GET', '/_matrix/client/v3/register/available?username=free');
    assert.deepEqual([free.status, free.body], [200, { available: true }]);
    const used = await s.call('GET', '/_matrix/client/v3/register/available?username=used');
    assert.deepEqual([used.status, used.body.errcode], [400, 'M_USER_IN_USE']);
    const bad = await s.call('GET', '/_matrix/client/v3/register/available?username=no%20spaces');
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_INVALID_USERNAME']);
    const missing = await s.call('GET', '/_matrix/client/v3/register/available');
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
  });
});

describe('registration switched off', () => {
  let s: ClientTestServer;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: false, shared_secret: SHARED_SECRET } });
  });
  after(() => s.stop());

  it('refuses /register, guests, availability and token validity with 403', async () => {
    for (const [method, path] of [
      ['POST', REGISTER],
      ['POST', `${REGISTER}?kind=guest`],
      ['GET', '/_matrix/client/v3/register/available?username=x'],
      ['GET', '/_matrix/client/v1/register/m.login.registration_token/validity?token=abc'],
    ] as const) {
      const res = await s.call(method, path, method === 'POST' ? { body: { username: 'x', password: 'y' } } : {});
      assert.equal(res.status, 403, path);
      assert.equal(res.body.errcode, 'M_FORBIDDEN', path);
    }
  });

  it('still allows shared-secret registration', async () => {
    const u = await s.register('admin-made');
    assert.equal(u.userId, '@admin-made:hs.test');
  });
});

describe('token-authenticated registration', () => {
  let s: ClientTestServer;
  let adminToken: string;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, requires_token: true, shared_secret: SHARED_SECRET } });
    adminToken = (await s.register('root', { admin: true })).accessToken;
    const made = await s.call('POST', '/_synapse/admin/v1/registration_tokens/new', { token: adminToken, body: { token: 'once', uses_allowed: 1 } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
  });
  after(() => s.stop());

  it('reports token validity', async () => {
    const ok = await s.call('GET', '/_matrix/client/v1/register/m.login.registration_token/validity?token=once');
    assert.deepEqual(ok.body, { valid: true });
    const no = await s.call('GET', '/_matrix/client/v1/register/m.login.registration_token/validity?token=never');
    assert.deepEqual(no.body, { valid: false });
  });

  it('offers only the token flow, reserves on the stage and completes on success', async () => {
    const body = { username: 'tokenuser', password: 'pw' };
    const first = await s.call('POST', REGISTER, { body });
    assert.deepEqual(first.body.flows, [{ stages: ['m.login.registration_token'] }]);
    const dummy = await s.call('POST', REGISTER, { body: { ...body, auth: { type: 'm.login.dummy', session: first.body.session } } });
    assert.equal(dummy.status, 401);
    assert.equal(dummy.body.errcode, 'M_FORBIDDEN', 'the dummy stage is not offered');
    const wrong = await s.call('POST', REGISTER, { body: { ...body, auth: { type: 'm.login.registration_token', token: 'never', session: first.body.session } } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.errcode, 'M_FORBIDDEN');
    const done = await s.call('POST', REGISTER, { body: { ...body, auth: { type: 'm.login.registration_token', token: 'once', session: first.body.session } } });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const token = await s.call('GET', '/_synapse/admin/v1/registration_tokens/once', { token: adminToken });
    assert.deepEqual(token.body, { token: 'once', uses_allowed: 1, pending: 0, completed: 1, expiry_time: null });
    const used = await s.call('GET', '/_matrix/client/v1/register/m.login.registration_token/validity?token=once');
    assert.deepEqual(used.body, { valid: false });
  });
});

describe('shared-secret registration', () => {
  let s: ClientTestServer;
  const PATH = '/_synapse/admin/v1/register';
  const nonce = async () => String((await s.call('GET', PATH)).body.nonce);
  before(async () => {
    s = await startClientTestServer();
  });
  after(() => s.stop());

  it('registers with a valid MAC, as an admin when asked', async () => {
    const n = await nonce();
    const mac = registrationMac(SHARED_SECRET, { nonce: n, username: 'Boss', password: 'pw', admin: true });
    const res = await s.call('POST', PATH, { body: { nonce: n, username: 'Boss', password: 'pw', admin: true, mac, displayname: 'The Boss' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user_id, '@boss:hs.test');
    assert.equal(res.body.home_server, SERVER_NAME);
    const token = String(res.body.access_token);
    const list = await s.call('GET', '/_synapse/admin/v1/registration_tokens', { token });
    assert.equal(list.status, 200, 'an admin may use admin routes');
    const profile = await s.call('GET', '/_matrix/client/v3/profile/@boss:hs.test');
    assert.equal(profile.body.displayname, 'The Boss');
  });

  it('covers the user type in the MAC and rejects unknown types', async () => {
    const n = await nonce();
    const mac = registrationMac(SHARED_SECRET, { nonce: n, username: 'botty', password: 'pw', admin: false, userType: 'bot' });
    const ok = await s.call('POST', PATH, { body: { nonce: n, username: 'botty', password: 'pw', user_type: 'bot', mac } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const n2 = await nonce();
    const mac2 = registrationMac(SHARED_SECRET, { nonce: n2, username: 'weird', password: 'pw', admin: false, userType: 'alien' });
    const bad = await s.call('POST', PATH, { body: { nonce: n2, username: 'weird', password: 'pw', user_type: 'alien', mac: mac2 } });
    assert.equal(bad.status, 400);
  });

  it('rejects a wrong MAC with 403 and spends the nonce anyway', async () => {
    const n = await nonce();
    const wrong = registrationMac(SHARED_SECRET, { nonce: n, username: 'mallory', password: 'pw', admin: true });
    const res = await s.call('POST', PATH, { body: { nonce: n, username: 'mallory', password: 'pw', admin: false, mac: wrong } });
    assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN']);
    const right = registrationMac(SHARED_SECRET, { nonce: n, username: 'mallory', password: 'pw', admin: false });
    const again = await s.call('POST', PATH, { body: { nonce: n, username: 'mallory', password: 'pw', admin: false, mac: right } });
    assert.equal(again.status, 400, 'the nonce is single-use');
  });

  it('rejects unknown nonces, taken and invalid usernames', async () => {
    const unknown = await s.call('POST', PATH, { body: { nonce: 'made-up', username: 'x', password: 'pw', mac: 'ab' } });
    assert.equal(unknown.status, 400);
    await s.register('existing');
    const n = await nonce();
    const mac = registrationMac(SHARED_SECRET, { nonce: n, username: 'existing', password: 'pw', admin: false });
    const taken = await s.call('POST', PATH, { body: { nonce: n, username: 'existing', password: 'pw', mac } });
    assert.deepEqual([taken.status, taken.body.errcode], [400, 'M_USER_IN_USE']);
    const n2 = await nonce();
    const mac2 = registrationMac(SHARED_SECRET, { nonce: n2, username: 'has space', password: 'pw', admin: false });
    const invalid = await s.call('POST', PATH, { body: { nonce: n2, username: 'has space', password: 'pw', mac: mac2 } });
    assert.deepEqual([invalid.status, invalid.body.errcode], [400, 'M_INVALID_USERNAME']);
  });
});

describe('shared-secret registration without a secret', () => {
  let s: ClientTestServer;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true } });
  });
  after(() => s.stop());

  it('answers 400 to both the nonce and the registration', async () => {
    const get = await s.call('GET', '/_synapse/admin/v1/register');
    assert.equal(get.status, 400);
    const post = await s.call('POST', '/_synapse/admin/v1/register', { body: { nonce: 'n', username: 'u', password: 'p', mac: 'm' } });
    assert.equal(post.status, 400);
  });
});

describe('registration tokens admin API', () => {
  let s: ClientTestServer;
  let admin: string;
  let user: string;
  const BASE = '/_synapse/admin/v1/registration_tokens';
  before(async () => {
    s = await startClientTestServer();
    admin = (await s.register('admin', { admin: true })).accessToken;
    user = (await s.register('plain')).accessToken;
  });
  after(() => s.stop());

  it('is for admins only', async () => {
    const res = await s.call('GET', BASE, { token: user });
    assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN']);
    const anon = await s.call('GET', BASE);
    assert.deepEqual([anon.status, anon.body.errcode], [401, 'M_MISSING_TOKEN']);
  });

  it('creates tokens given or generated, and refuses bad ones', async () => {
    const given = await s.call('POST', `${BASE}/new`, { token: admin, body: { token: 'abc.DEF_1~-', uses_allowed: 3 } });
    assert.deepEqual(given.body, { token: 'abc.DEF_1~-', uses_allowed: 3, pending: 0, completed: 0, expiry_time: null });
    const generated = await s.call('POST', `${BASE}/new`, { token: admin, body: { length: 24 } });
    assert.match(String(generated.body.token), /^[A-Za-z0-9._~-]{24}$/);
    const dflt = await s.call('POST', `${BASE}/new`, { token: admin, body: {} });
    assert.equal(String(dflt.body.token).length, 16);
    for (const body of [{ token: 'has space' }, { token: 'x'.repeat(65) }, { token: 'abc.DEF_1~-' }, { expiry_time: 1000 }, { uses_allowed: -1 }, { length: 0 }]) {
      const res = await s.call('POST', `${BASE}/new`, { token: admin, body });
      assert.equal(res.status, 400, JSON.stringify(body));
    }
  });

  it('reads, updates, lists by validity and deletes', async () => {
    const future = Date.now() + 3_600_000;
    await s.call('POST', `${BASE}/new`, { token: admin, body: { token: 'upd', uses_allowed: 1 } });
    const put = await s.call('PUT', `${BASE}/upd`, { token: admin, body: { uses_allowed: 0, expiry_time: future } });
    assert.deepEqual(put.body, { token: 'upd', uses_allowed: 0, pending: 0, completed: 0, expiry_time: future });
    const got = await s.call('GET', `${BASE}/upd`, { token: admin });
    assert.deepEqual(got.body, put.body);
    const valid = await s.call('GET', `${BASE}?valid=true`, { token: admin });
    const invalid = await s.call('GET', `${BASE}?valid=false`, { token: admin });
    const names = (r: typeof valid) => (r.body.registration_tokens as Array<{ token: string }>).map((t) => t.token);
    assert.ok(!names(valid).includes('upd'), 'no uses left: invalid');
    assert.ok(names(invalid).includes('upd'));
    const all = await s.call('GET', BASE, { token: admin });
    assert.ok(names(all).includes('upd'));
    assert.deepEqual((await s.call('DELETE', `${BASE}/upd`, { token: admin })).body, {});
    for (const [method, body] of [['GET', undefined], ['PUT', { uses_allowed: 1 }], ['DELETE', undefined]] as const) {
      const res = await s.call(method, `${BASE}/upd`, { token: admin, body });
      assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND'], method);
    }
  });
});
