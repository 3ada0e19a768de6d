/** `GET /pushers` and `POST /pushers/set` on a real monolith, and pushers going with their device. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordAuth, SHARED_SECRET, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const URL_OK = 'https://push.example.org/_matrix/push/v1/notify';

function httpPusher(pushkey: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'http',
    app_id: 'org.example.app',
    pushkey,
    app_display_name: 'Example App',
    device_display_name: 'Phone',
    lang: 'en',
    data: { url: URL_OK, format: 'event_id_only', custom: 'kept' },
    ...extra,
  };
}

describe('pushers', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, guests: true, shared_secret: SHARED_SECRET } });
    alice = await s.register('alice');
    bob = await s.register('bob');
  });
  after(() => s.stop());

  const set = (u: TestUser, body: unknown): Promise<Res> => s.call('POST', `${V3}/pushers/set`, { token: u.accessToken, body });
  const list = async (u: TestUser): Promise<Array<Record<string, unknown>>> => {
    const res = await s.call('GET', `${V3}/pushers`, { token: u.accessToken });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.pushers as Array<Record<string, unknown>>;
  };
  // Sorted: pushers set within the same millisecond have no defined order.
  const keys = async (u: TestUser): Promise<string[]> => (await list(u)).map((p) => `${String(p.app_id)}/${String(p.pushkey)}`).sort();
  async function expectError(res: Res, status: number, errcode: string, message?: RegExp): Promise<void> {
    assert.deepEqual([res.status, res.body.errcode], [status, errcode], JSON.stringify(res.body));
    if (message) assert.match(String(res.body.error), message);
  }

  it('sets a pusher and lists it in the spec shape, profile_tag only when set', async () => {
    const u = await s.login('alice', alice.password);
    assert.deepEqual(await list(u), []);
    assert.deepEqual((await set(u, httpPusher('shape-1', { profile_tag: 'xyz' }))).body, {});
    assert.deepEqual((await set(u, httpPusher('shape-2', { append: true }))).body, {});
    assert.deepEqual(await list(u), [
      {
        pushkey: 'shape-1',
        kind: 'http',
        app_id: 'org.example.app',
        app_display_name: 'Example App',
        device_display_name: 'Phone',
        profile_tag: 'xyz',
        lang: 'en',
        data: { url: URL_OK, format: 'event_id_only', custom: 'kept' },
      },
      {
        pushkey: 'shape-2',
        kind: 'http',
        app_id: 'org.example.app',
        app_display_name: 'Example App',
        device_display_name: 'Phone',
        lang: 'en',
        data: { url: URL_OK, format: 'event_id_only', custom: 'kept' },
      },
    ]);
    assert.deepEqual(await list(bob), [], 'pushers are per user');
    await s.call('POST', `${V3}/logout`, { token: u.accessToken });
  });

  it('replaces the pusher with the same app ID and pushkey; kind null deletes it', async () => {
    const u = await s.login('alice', alice.password);
    assert.equal((await set(u, httpPusher('rep'))).status, 200);
    assert.equal((await set(u, httpPusher('rep', { app_id: 'org.example.other' }))).status, 200);
    assert.equal((await set(u, httpPusher('rep', { lang: 'de', device_display_name: 'Tablet', data: { url: URL_OK } }))).status, 200);
    const got = (await list(u)).sort((x, y) => String(x.app_id).localeCompare(String(y.app_id)));
    assert.deepEqual(got.map((p) => [p.app_id, p.pushkey, p.lang, p.device_display_name, p.data]), [
      ['org.example.app', 'rep', 'de', 'Tablet', { url: URL_OK }],
      ['org.example.other', 'rep', 'en', 'Phone', { url: URL_OK, format: 'event_id_only', custom: 'kept' }],
    ]);
    assert.deepEqual((await set(u, { kind: null, app_id: 'org.example.app', pushkey: 'rep' })).body, {});
    assert.deepEqual(await keys(u), ['org.example.other/rep']);
    assert.equal((await set(u, { kind: null, app_id: 'org.example.app', pushkey: 'rep' })).status, 200, 'deleting a missing pusher is fine');
    await s.call('POST', `${V3}/logout`, { token: u.accessToken });
  });

  it('append: true keeps other users\' pushers with the same app ID and pushkey; append: false removes them', async () => {
    const a = await s.login('alice', alice.password);
    const b = await s.login('bob', bob.password);
    assert.equal((await set(a, httpPusher('shared'))).status, 200);
    assert.equal((await set(b, httpPusher('shared', { append: true }))).status, 200);
    assert.deepEqual(await keys(a), ['org.example.app/shared']);
    assert.deepEqual(await keys(b), ['org.example.app/shared']);
    assert.equal((await set(b, httpPusher('shared', { append: false }))).status, 200);
    assert.deepEqual(await keys(a), [], 'alice\'s pusher went');
    assert.deepEqual(await keys(b), ['org.example.app/shared']);
    // Default append is false too, and only the same app ID is affected.
    assert.equal((await set(a, httpPusher('shared', { app_id: 'org.example.other' }))).status, 200);
    assert.equal((await set(a, httpPusher('shared'))).status, 200);
    assert.deepEqual(await keys(b), []);
    assert.deepEqual(await keys(a), ['org.example.app/shared', 'org.example.other/shared']);
    await s.call('POST', `${V3}/logout`, { token: a.accessToken });
    await s.call('POST', `${V3}/logout`, { token: b.accessToken });
  });

  it('names missing parameters', async () => {
    const { app_display_name: _a, lang: _l, data: _d, ...partial } = httpPusher('m');
    await expectError(await set(alice, partial), 400, 'M_MISSING_PARAM', /^Missing parameters: app_display_name, lang, data$/);
    const { kind: _k, ...noKind } = httpPusher('m');
    await expectError(await set(alice, noKind), 400, 'M_MISSING_PARAM', /kind/);
    await expectError(await set(alice, { kind: null, app_id: 'org.example.app' }), 400, 'M_MISSING_PARAM', /pushkey/);
    await expectError(await set(alice, httpPusher('m', { data: { format: 'event_id_only' } })), 400, 'M_MISSING_PARAM', /data\.url/);
    assert.deepEqual(await list(alice), []);
  });

  it('refuses malformed fields with M_BAD_JSON', async () => {
    await expectError(await set(alice, httpPusher('b', { kind: 5 })), 400, 'M_BAD_JSON');
    await expectError(await set(alice, httpPusher('b', { data: 'x' })), 400, 'M_BAD_JSON');
    await expectError(await set(alice, httpPusher('b', { append: 'yes' })), 400, 'M_BAD_JSON');
    await expectError(await set(alice, httpPusher('b', { lang: 7 })), 400, 'M_BAD_JSON');
    assert.deepEqual(await list(alice), []);
  });

  it('checks the URL, format, kind and lengths with M_INVALID_PARAM', async () => {
    const bad = async (extra: Record<string, unknown>, message: RegExp): Promise<void> => expectError(await set(alice, httpPusher('v', extra)), 400, 'M_INVALID_PARAM', message);
    await bad({ data: { url: 'https://push.example.org/notify' } }, /\/_matrix\/push\/v1\/notify/);
    await bad({ data: { url: 'https://push.example.org/_matrix/push/v1/notify/' } }, /path/);
    await bad({ data: { url: 'ftp://push.example.org/_matrix/push/v1/notify' } }, /https/);
    await bad({ data: { url: '/_matrix/push/v1/notify' } }, /absolute/);
    await bad({ data: { url: 'https://u:p@push.example.org/_matrix/push/v1/notify' } }, /credentials/);
    await bad({ data: { url: 42 } }, /string/);
    await bad({ data: { url: URL_OK, format: 'full' } }, /event_id_only/);
    await bad({ kind: 'email', pushkey: 'a@example.org', app_id: 'm.email' }, /email/);
    await bad({ kind: 'sms' }, /Unknown pusher kind 'sms'/);
    await bad({ pushkey: 'k'.repeat(513) }, /512 bytes/);
    await bad({ pushkey: 'é'.repeat(257) }, /512 bytes/);
    await bad({ app_id: 'a'.repeat(65) }, /64 characters/);
    await bad({ app_id: '' }, /app_id/);
    await bad({ pushkey: '' }, /pushkey/);
    assert.deepEqual(await list(alice), []);
    // At the limits, and with plain http (a gateway on a private network).
    const u = await s.login('alice', alice.password);
    assert.equal((await set(u, httpPusher('é'.repeat(256), { app_id: 'a'.repeat(64) }))).status, 200);
    assert.equal((await set(u, httpPusher('plain', { data: { url: 'http://10.0.0.1:5000/_matrix/push/v1/notify?x=1' } }))).status, 200);
    assert.equal((await list(u)).length, 2);
    await s.call('POST', `${V3}/logout`, { token: u.accessToken });
  });

  it('requires a non-guest access token', async () => {
    await expectError(await s.call('GET', `${V3}/pushers`), 401, 'M_MISSING_TOKEN');
    await expectError(await s.call('POST', `${V3}/pushers/set`, { body: httpPusher('x') }), 401, 'M_MISSING_TOKEN');
    const g = await s.call('POST', `${V3}/register?kind=guest`, { body: {} });
    assert.equal(g.status, 200, JSON.stringify(g.body));
    const token = String(g.body.access_token);
    await expectError(await s.call('GET', `${V3}/pushers`, { token }), 403, 'M_GUEST_ACCESS_FORBIDDEN');
    await expectError(await s.call('POST', `${V3}/pushers/set`, { token, body: httpPusher('x') }), 403, 'M_GUEST_ACCESS_FORBIDDEN');
  });

  it('deletes a device\'s pushers when it logs out or is deleted, and the others\' on logout/all', async () => {
    const carol = await s.register('carol');
    const d1 = await s.login('carol', carol.password);
    const d2 = await s.login('carol', carol.password);
    const d3 = await s.login('carol', carol.password);
    for (const [d, key] of [[carol, 'c0'], [d1, 'c1'], [d2, 'c2'], [d3, 'c3']] as const) assert.equal((await set(d, httpPusher(key))).status, 200);
    assert.deepEqual(await keys(carol), ['org.example.app/c0', 'org.example.app/c1', 'org.example.app/c2', 'org.example.app/c3']);

    assert.equal((await s.call('POST', `${V3}/logout`, { token: d1.accessToken })).status, 200);
    assert.deepEqual(await keys(carol), ['org.example.app/c0', 'org.example.app/c2', 'org.example.app/c3']);

    const path = `${V3}/devices/${d2.deviceId}`;
    const first = await s.call('DELETE', path, { token: carol.accessToken, body: {} });
    assert.equal(first.status, 401);
    const del = await s.call('DELETE', path, { token: carol.accessToken, body: { auth: passwordAuth(carol, String(first.body.session)) } });
    assert.equal(del.status, 200, JSON.stringify(del.body));
    assert.deepEqual(await keys(carol), ['org.example.app/c0', 'org.example.app/c3']);

    assert.equal((await s.call('POST', `${V3}/logout/all`, { token: d3.accessToken })).status, 200);
    const again = await s.login('carol', carol.password);
    assert.deepEqual(await keys(again), []);
  });

  it('deactivates an account that has pushers (the storage suite checks they are deleted)', async () => {
    const dave = await s.register('dave');
    assert.equal((await set(dave, httpPusher('d0'))).status, 200);
    const first = await s.call('POST', `${V3}/account/deactivate`, { token: dave.accessToken, body: {} });
    assert.equal(first.status, 401);
    const res = await s.call('POST', `${V3}/account/deactivate`, { token: dave.accessToken, body: { auth: passwordAuth(dave, String(first.body.session)) } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await expectError(await s.call('GET', `${V3}/pushers`, { token: dave.accessToken }), 401, 'M_UNKNOWN_TOKEN');
  });
});
