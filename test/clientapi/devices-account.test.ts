import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordAuth, startClientTestServer, type ClientTestServer, type TestUser } from './client-test-server.js';

const DEVICES = '/_matrix/client/v3/devices';
const WHOAMI = '/_matrix/client/v3/account/whoami';

describe('devices', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  before(async () => {
    s = await startClientTestServer();
    alice = await s.register('alice');
    bob = await s.register('bob');
  });
  after(() => s.stop());

  it('lists, reads and renames the requester’s devices', async () => {
    const second = await s.login('alice', alice.password);
    const list = await s.call('GET', DEVICES, { token: alice.accessToken });
    const ids = (list.body.devices as Array<{ device_id: string }>).map((d) => d.device_id).sort();
    assert.deepEqual(ids, [alice.deviceId, second.deviceId].sort());
    const put = await s.call('PUT', `${DEVICES}/${second.deviceId}`, { token: alice.accessToken, body: { display_name: 'Tablet' } });
    assert.deepEqual([put.status, put.body], [200, {}]);
    const one = await s.call('GET', `${DEVICES}/${second.deviceId}`, { token: alice.accessToken });
    assert.equal(one.body.device_id, second.deviceId);
    assert.equal(one.body.display_name, 'Tablet');
    assert.equal(one.body.last_seen_ip, '127.0.0.1');
    assert.equal(typeof one.body.last_seen_ts, 'number');
    const noop = await s.call('PUT', `${DEVICES}/${second.deviceId}`, { token: alice.accessToken, body: {} });
    assert.equal(noop.status, 200);
  });

  it('answers 404 for unknown devices and for other users’ devices', async () => {
    for (const id of ['NOSUCHDEVICE', bob.deviceId]) {
      const get = await s.call('GET', `${DEVICES}/${id}`, { token: alice.accessToken });
      assert.deepEqual([get.status, get.body.errcode], [404, 'M_NOT_FOUND']);
      const put = await s.call('PUT', `${DEVICES}/${id}`, { token: alice.accessToken, body: { display_name: 'x' } });
      assert.deepEqual([put.status, put.body.errcode], [404, 'M_NOT_FOUND']);
      const putEmpty = await s.call('PUT', `${DEVICES}/${id}`, { token: alice.accessToken, body: {} });
      assert.equal(putEmpty.status, 404);
    }
  });

  it('deletes a device after the password stage', async () => {
    const victim = await s.login('alice', alice.password);
    const path = `${DEVICES}/${victim.deviceId}`;
    const first = await s.call('DELETE', path, { token: alice.accessToken, body: {} });
    assert.equal(first.status, 401);
    assert.deepEqual(first.body.flows, [{ stages: ['m.login.password'] }]);
    const session = String(first.body.session);
    const wrong = await s.call('DELETE', path, { token: alice.accessToken, body: { auth: { ...passwordAuth(alice, session), password: 'nope' } } });
    assert.deepEqual([wrong.status, wrong.body.errcode, wrong.body.session], [401, 'M_FORBIDDEN', session]);
    const asBob = await s.call('DELETE', path, { token: alice.accessToken, body: { auth: passwordAuth(bob, session) } });
    assert.deepEqual([asBob.status, asBob.body.errcode], [401, 'M_FORBIDDEN'], 'the password must be the requester’s');
    const ok = await s.call('DELETE', path, { token: alice.accessToken, body: { auth: passwordAuth(alice, session) } });
    assert.deepEqual([ok.status, ok.body], [200, {}]);
    assert.equal((await s.call('GET', WHOAMI, { token: victim.accessToken })).body.errcode, 'M_UNKNOWN_TOKEN');
    assert.equal((await s.call('GET', path, { token: alice.accessToken })).status, 404);
  });

  it('will not spend a session on another device or another user', async () => {
    const a = await s.login('alice', alice.password);
    const b = await s.login('alice', alice.password);
    const first = await s.call('DELETE', `${DEVICES}/${a.deviceId}`, { token: alice.accessToken, body: {} });
    const session = String(first.body.session);
    const other = await s.call('DELETE', `${DEVICES}/${b.deviceId}`, { token: alice.accessToken, body: { auth: passwordAuth(alice, session) } });
    assert.deepEqual([other.status, other.body.errcode], [403, 'M_FORBIDDEN']);
    const byBob = await s.call('DELETE', `${DEVICES}/${a.deviceId}`, { token: bob.accessToken, body: { auth: passwordAuth(bob, session) } });
    assert.deepEqual([byBob.status, byBob.body.errcode], [403, 'M_FORBIDDEN']);
    assert.equal((await s.call('GET', WHOAMI, { token: b.accessToken })).status, 200);
  });

  it('deletes several devices with /delete_devices, and ignores unknown ones', async () => {
    const a = await s.login('bob', bob.password);
    const b = await s.login('bob', bob.password);
    const body = { devices: [a.deviceId, b.deviceId, 'UNKNOWN'] };
    const first = await s.call('POST', '/_matrix/client/v3/delete_devices', { token: bob.accessToken, body });
    assert.equal(first.status, 401);
    const ok = await s.call('POST', '/_matrix/client/v3/delete_devices', { token: bob.accessToken, body: { ...body, auth: passwordAuth(bob, String(first.body.session)) } });
    assert.deepEqual([ok.status, ok.body], [200, {}]);
    for (const t of [a.accessToken, b.accessToken]) assert.equal((await s.call('GET', WHOAMI, { token: t })).status, 401);
    assert.equal((await s.call('GET', WHOAMI, { token: bob.accessToken })).status, 200);
    const missing = await s.call('POST', '/_matrix/client/v3/delete_devices', { token: bob.accessToken, body: {} });
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
  });
});

describe('password change and deactivation', () => {
  let s: ClientTestServer;
  before(async () => {
    s = await startClientTestServer();
  });
  after(() => s.stop());

  const PASSWORD = '/_matrix/client/v3/account/password';

  it('changes the password after UIA and logs out the other devices', async () => {
    const u = await s.register('carol', { password: 'old' });
    const other = await s.login('carol', 'old');
    const first = await s.call('POST', PASSWORD, { token: u.accessToken, body: { new_password: 'new' } });
    assert.equal(first.status, 401);
    const ok = await s.call('POST', PASSWORD, { token: u.accessToken, body: { new_password: 'new', auth: passwordAuth(u, String(first.body.session)) } });
    assert.deepEqual([ok.status, ok.body], [200, {}]);
    assert.equal((await s.call('GET', WHOAMI, { token: u.accessToken })).status, 200, 'the requesting device stays');
    assert.equal((await s.call('GET', WHOAMI, { token: other.accessToken })).status, 401);
    const oldLogin = await s.call('POST', '/_matrix/client/v3/login', { body: { type: 'm.login.password', user: 'carol', password: 'old' } });
    assert.equal(oldLogin.status, 403);
    await s.login('carol', 'new');
  });

  it('keeps the other devices with logout_devices: false', async () => {
    const u = await s.register('dan', { password: 'old' });
    const other = await s.login('dan', 'old');
    const body = { new_password: 'new', logout_devices: false, auth: passwordAuth(u) };
    const ok = await s.call('POST', PASSWORD, { token: u.accessToken, body });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await s.call('GET', WHOAMI, { token: other.accessToken })).status, 200);
  });

  it('requires new_password and the old password', async () => {
    const u = await s.register('erin', { password: 'pw' });
    const missing = await s.call('POST', PASSWORD, { token: u.accessToken, body: { auth: passwordAuth(u) } });
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
    const wrong = await s.call('POST', PASSWORD, { token: u.accessToken, body: { new_password: 'x', auth: { ...passwordAuth(u), password: 'bad' } } });
    assert.deepEqual([wrong.status, wrong.body.errcode], [401, 'M_FORBIDDEN']);
  });

  it('deactivates after UIA, erasing the profile when asked', async () => {
    const u = await s.register('fay', { password: 'pw' });
    await s.call('PUT', `/_matrix/client/v3/profile/${u.userId}/displayname`, { token: u.accessToken, body: { displayname: 'Fay' } });
    const first = await s.call('POST', '/_matrix/client/v3/account/deactivate', { token: u.accessToken, body: { erase: true } });
    assert.equal(first.status, 401);
    const ok = await s.call('POST', '/_matrix/client/v3/account/deactivate', { token: u.accessToken, body: { erase: true, auth: passwordAuth(u, String(first.body.session)) } });
    assert.deepEqual([ok.status, ok.body], [200, { id_server_unbind_result: 'no-support' }]);
    assert.equal((await s.call('GET', WHOAMI, { token: u.accessToken })).status, 401);
    const profile = await s.call('GET', `/_matrix/client/v3/profile/${u.userId}/displayname`);
    assert.equal(profile.status, 404, 'erased');
    const avail = await s.call('GET', '/_matrix/client/v3/register/available?username=fay');
    assert.equal(avail.body.errcode, 'M_USER_IN_USE', 'a deactivated ID is never reused');
  });
});
