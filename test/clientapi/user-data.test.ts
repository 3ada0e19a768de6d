import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startClientTestServer, type ClientTestServer, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

describe('profiles', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let guest: { token: string; userId: string };
  const field = (userId: string, key: string) => `${V3}/profile/${enc(userId)}/${enc(key)}`;
  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, guests: true, shared_secret: 'test-shared-secret-0123456789' } });
    alice = await s.register('alice');
    bob = await s.register('bob');
    const g = await s.call('POST', `${V3}/register?kind=guest`, { body: {} });
    guest = { token: String(g.body.access_token), userId: String(g.body.user_id) };
  });
  after(() => s.stop());

  it('starts with the localpart as display name', async () => {
    const res = await s.call('GET', `${V3}/profile/${enc(alice.userId)}`);
    assert.deepEqual(res.body, { displayname: 'alice' });
  });

  it('sets, reads and deletes standard and custom fields of one’s own profile', async () => {
    const sets: Array<[string, unknown]> = [
      ['displayname', 'Alice A.'],
      ['avatar_url', 'mxc://hs.test/abc'],
      ['m.tz', 'Europe/London'],
      ['org.example.job', { title: 'engineer', since: 2020 }],
    ];
    for (const [key, value] of sets) {
      const put = await s.call('PUT', field(alice.userId, key), { token: alice.accessToken, body: { [key]: value } });
      assert.deepEqual([put.status, put.body], [200, {}], key);
      const get = await s.call('GET', field(alice.userId, key));
      assert.deepEqual(get.body, { [key]: value }, key);
    }
    const all = await s.call('GET', `${V3}/profile/${enc(alice.userId)}`);
    assert.deepEqual(all.body, Object.fromEntries(sets));
    const del = await s.call('DELETE', field(alice.userId, 'org.example.job'), { token: alice.accessToken });
    assert.deepEqual([del.status, del.body], [200, {}]);
    assert.equal((await s.call('GET', field(alice.userId, 'org.example.job'))).status, 404);
    const delAgain = await s.call('DELETE', field(alice.userId, 'org.example.job'), { token: alice.accessToken });
    assert.equal(delAgain.status, 200, 'deleting an absent field is fine');
    const clear = await s.call('PUT', field(alice.userId, 'avatar_url'), { token: alice.accessToken, body: { avatar_url: '' } });
    assert.equal(clear.status, 200, 'clients clear avatars with ""');
    const nullCustom = await s.call('PUT', field(alice.userId, 'org.example.nothing'), { token: alice.accessToken, body: { 'org.example.nothing': null } });
    assert.equal(nullCustom.status, 200);
    assert.deepEqual((await s.call('GET', field(alice.userId, 'org.example.nothing'))).body, { 'org.example.nothing': null }, 'null is stored');
    const nullName = await s.call('PUT', field(alice.userId, 'displayname'), { token: alice.accessToken, body: { displayname: null } });
    assert.equal(nullName.status, 200);
    assert.equal((await s.call('GET', field(alice.userId, 'displayname'))).status, 404, 'null clears the display name');
  });

  it('refuses changes to another user’s profile', async () => {
    const put = await s.call('PUT', field(bob.userId, 'displayname'), { token: alice.accessToken, body: { displayname: 'Hacked' } });
    assert.deepEqual([put.status, put.body.errcode], [403, 'M_FORBIDDEN']);
    const del = await s.call('DELETE', field(bob.userId, 'displayname'), { token: alice.accessToken });
    assert.deepEqual([del.status, del.body.errcode], [403, 'M_FORBIDDEN']);
    const anon = await s.call('PUT', field(bob.userId, 'displayname'), { body: { displayname: 'x' } });
    assert.deepEqual([anon.status, anon.body.errcode], [401, 'M_MISSING_TOKEN']);
  });

  it('validates keys and values', async () => {
    const bad = async (key: string, body: unknown, status: number, errcode: string) => {
      const res = await s.call('PUT', field(alice.userId, key), { token: alice.accessToken, body });
      assert.deepEqual([res.status, res.body.errcode], [status, errcode], `${key} ${JSON.stringify(body)}`);
    };
    await bad('nonamespace', { nonamespace: 1 }, 400, 'M_INVALID_PARAM');
    await bad('Org.Example', { 'Org.Example': 1 }, 400, 'M_INVALID_PARAM');
    await bad(`org.${'a'.repeat(260)}`, { [`org.${'a'.repeat(260)}`]: 1 }, 400, 'M_KEY_TOO_LARGE');
    await bad('displayname', { other: 'x' }, 400, 'M_MISSING_PARAM');
    await bad('displayname', { displayname: 5 }, 400, 'M_BAD_JSON');
    await bad('displayname', { displayname: 'x'.repeat(257) }, 400, 'M_INVALID_PARAM');
    await bad('avatar_url', { avatar_url: `mxc://hs.test/${'a'.repeat(1000)}` }, 400, 'M_INVALID_PARAM');
    await bad('avatar_url', { avatar_url: 'https://example.org/a.png' }, 400, 'M_BAD_JSON');
    await bad('m.tz', { 'm.tz': 1 }, 400, 'M_BAD_JSON');
    await bad('displayname', {}, 400, 'M_BAD_JSON');
    const getBad = await s.call('GET', field(alice.userId, 'nonamespace'));
    assert.equal(getBad.body.errcode, 'M_INVALID_PARAM');
  });

  it('keeps the whole profile under 64 KiB', async () => {
    const big = 'x'.repeat(40_000);
    const first = await s.call('PUT', field(bob.userId, 'org.example.big1'), { token: bob.accessToken, body: { 'org.example.big1': big } });
    assert.equal(first.status, 200);
    const second = await s.call('PUT', field(bob.userId, 'org.example.big2'), { token: bob.accessToken, body: { 'org.example.big2': big } });
    assert.deepEqual([second.status, second.body.errcode], [400, 'M_PROFILE_TOO_LARGE']);
    const replace = await s.call('PUT', field(bob.userId, 'org.example.big1'), { token: bob.accessToken, body: { 'org.example.big1': big + 'y' } });
    assert.equal(replace.status, 200, 'replacing a field counts its new size only');
  });

  it('answers 404 for unknown users, missing fields and remote users; 400 for bad user IDs', async () => {
    assert.deepEqual((await s.call('GET', `${V3}/profile/${enc('@nobody:hs.test')}`)).body.errcode, 'M_NOT_FOUND');
    assert.deepEqual((await s.call('GET', field('@nobody:hs.test', 'displayname'))).body.errcode, 'M_NOT_FOUND');
    assert.equal((await s.call('GET', field(bob.userId, 'm.tz'))).status, 404);
    const remote = await s.call('GET', `${V3}/profile/${enc('@carol:remote.test')}`);
    assert.deepEqual([remote.status, remote.body.errcode], [404, 'M_NOT_FOUND']);
    assert.match(String(remote.body.error), /other servers/);
    const bad = await s.call('GET', `${V3}/profile/not-a-user-id`);
    assert.deepEqual([bad.status, bad.body.errcode], [400, 'M_INVALID_PARAM']);
  });

  it('lets guests change only their display name', async () => {
    const name = await s.call('PUT', field(guest.userId, 'displayname'), { token: guest.token, body: { displayname: 'Visitor' } });
    assert.equal(name.status, 200);
    const avatar = await s.call('PUT', field(guest.userId, 'avatar_url'), { token: guest.token, body: { avatar_url: 'mxc://hs.test/x' } });
    assert.deepEqual([avatar.status, avatar.body.errcode], [403, 'M_GUEST_ACCESS_FORBIDDEN']);
  });
});

describe('account data and tags', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  const ROOM = '!room:hs.test';
  const global = (u: TestUser, type: string) => `${V3}/user/${enc(u.userId)}/account_data/${enc(type)}`;
  const inRoom = (u: TestUser, room: string, type: string) => `${V3}/user/${enc(u.userId)}/rooms/${enc(room)}/account_data/${enc(type)}`;
  const tags = (u: TestUser, room: string) => `${V3}/user/${enc(u.userId)}/rooms/${enc(room)}/tags`;
  before(async () => {
    s = await startClientTestServer();
    alice = await s.register('alice');
    bob = await s.register('bob');
  });
  after(() => s.stop());

  it('stores global and room account data separately', async () => {
    assert.equal((await s.call('PUT', global(alice, 'org.example.settings'), { token: alice.accessToken, body: { theme: 'dark' } })).status, 200);
    assert.equal((await s.call('PUT', inRoom(alice, ROOM, 'org.example.settings'), { token: alice.accessToken, body: { theme: 'light' } })).status, 200);
    assert.deepEqual((await s.call('GET', global(alice, 'org.example.settings'), { token: alice.accessToken })).body, { theme: 'dark' });
    assert.deepEqual((await s.call('GET', inRoom(alice, ROOM, 'org.example.settings'), { token: alice.accessToken })).body, { theme: 'light' });
    await s.call('PUT', global(alice, 'org.example.settings'), { token: alice.accessToken, body: {} });
    assert.deepEqual((await s.call('GET', global(alice, 'org.example.settings'), { token: alice.accessToken })).body, {}, 'an empty object is a value');
  });

  it('answers 404 for unset types', async () => {
    const res = await s.call('GET', global(alice, 'org.example.never'), { token: alice.accessToken });
    assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND']);
    const room = await s.call('GET', inRoom(alice, '!other:hs.test', 'org.example.settings'), { token: alice.accessToken });
    assert.equal(room.status, 404, 'room account data does not fall back to global');
  });

  it('forbids reading or writing another user’s account data', async () => {
    for (const [method, path] of [
      ['GET', global(bob, 'x.y')],
      ['PUT', global(bob, 'x.y')],
      ['GET', inRoom(bob, ROOM, 'x.y')],
      ['PUT', inRoom(bob, ROOM, 'x.y')],
      ['GET', tags(bob, ROOM)],
      ['PUT', `${tags(bob, ROOM)}/u.work`],
      ['DELETE', `${tags(bob, ROOM)}/u.work`],
    ] as const) {
      const res = await s.call(method, path, { token: alice.accessToken, body: method === 'PUT' ? {} : undefined });
      assert.deepEqual([res.status, res.body.errcode], [403, 'M_FORBIDDEN'], `${method} ${path}`);
    }
  });

  it('refuses server-managed types with 405 and bad input with 400', async () => {
    for (const path of [global(alice, 'm.fully_read'), global(alice, 'm.push_rules'), inRoom(alice, ROOM, 'm.fully_read')]) {
      const res = await s.call('PUT', path, { token: alice.accessToken, body: { event_id: '$x' } });
      assert.deepEqual([res.status, res.body.errcode], [405, 'M_BAD_JSON'], path);
    }
    const notObject = await s.call('PUT', global(alice, 'x.y'), { token: alice.accessToken, body: [1, 2] });
    assert.deepEqual([notObject.status, notObject.body.errcode], [400, 'M_BAD_JSON']);
    const badRoom = await s.call('PUT', inRoom(alice, 'not-a-room', 'x.y'), { token: alice.accessToken, body: {} });
    assert.deepEqual([badRoom.status, badRoom.body.errcode], [400, 'M_INVALID_PARAM']);
    const badRoomGet = await s.call('GET', inRoom(alice, '@user:hs.test', 'x.y'), { token: alice.accessToken });
    assert.deepEqual([badRoomGet.status, badRoomGet.body.errcode], [400, 'M_INVALID_PARAM']);
  });

  it('manages room tags as m.tag room account data', async () => {
    assert.deepEqual((await s.call('GET', tags(alice, ROOM), { token: alice.accessToken })).body, { tags: {} });
    assert.equal((await s.call('PUT', `${tags(alice, ROOM)}/m.favourite`, { token: alice.accessToken, body: { order: 0.25 } })).status, 200);
    assert.equal((await s.call('PUT', `${tags(alice, ROOM)}/u.work`, { token: alice.accessToken, body: {} })).status, 200);
    assert.deepEqual((await s.call('GET', tags(alice, ROOM), { token: alice.accessToken })).body, { tags: { 'm.favourite': { order: 0.25 }, 'u.work': {} } });
    const raw = await s.call('GET', inRoom(alice, ROOM, 'm.tag'), { token: alice.accessToken });
    assert.deepEqual(raw.body, { tags: { 'm.favourite': { order: 0.25 }, 'u.work': {} } });
    assert.equal((await s.call('DELETE', `${tags(alice, ROOM)}/m.favourite`, { token: alice.accessToken })).status, 200);
    assert.equal((await s.call('DELETE', `${tags(alice, ROOM)}/never.set`, { token: alice.accessToken })).status, 200);
    assert.deepEqual((await s.call('GET', tags(alice, ROOM), { token: alice.accessToken })).body, { tags: { 'u.work': {} } });
    const proto = await s.call('PUT', `${tags(alice, ROOM)}/__proto__`, { token: alice.accessToken, body: { order: 0.5 } });
    assert.equal(proto.status, 200);
    assert.deepEqual((await s.call('GET', tags(alice, ROOM), { token: alice.accessToken })).body, { tags: { 'u.work': {}, ['__proto__']: { order: 0.5 } } });
    const long = await s.call('PUT', `${tags(alice, ROOM)}/${'t'.repeat(256)}`, { token: alice.accessToken, body: {} });
    assert.deepEqual([long.status, long.body.errcode], [400, 'M_INVALID_PARAM']);
    const badOrder = await s.call('PUT', `${tags(alice, ROOM)}/u.x`, { token: alice.accessToken, body: { order: 'first' } });
    assert.deepEqual([badOrder.status, badOrder.body.errcode], [400, 'M_BAD_JSON']);
  });
});

describe('push rules', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  const P = `${V3}/pushrules`;
  before(async () => {
    s = await startClientTestServer();
    alice = await s.register('alice');
  });
  after(() => s.stop());

  it('serves the ruleset with server defaults, with and without trailing slashes', async () => {
    const all = await s.call('GET', `${P}/`, { token: alice.accessToken });
    assert.equal(all.status, 200);
    const globalRules = all.body.global as Record<string, Array<{ rule_id: string }>>;
    assert.ok(globalRules.override?.some((r) => r.rule_id === '.m.rule.master'));
    assert.deepEqual((await s.call('GET', P, { token: alice.accessToken })).body, all.body);
    assert.deepEqual((await s.call('GET', `${P}/global/`, { token: alice.accessToken })).body, all.body.global);
    assert.deepEqual((await s.call('GET', `${P}/global`, { token: alice.accessToken })).body, all.body.global);
  });

  it('reads one rule, its enabled flag and its actions', async () => {
    const rule = await s.call('GET', `${P}/global/override/.m.rule.master`, { token: alice.accessToken });
    assert.equal(rule.body.rule_id, '.m.rule.master');
    assert.deepEqual((await s.call('GET', `${P}/global/override/.m.rule.master/enabled`, { token: alice.accessToken })).body, { enabled: false });
    assert.deepEqual((await s.call('GET', `${P}/global/override/.m.rule.master/actions`, { token: alice.accessToken })).body, { actions: rule.body.actions });
    const missing = await s.call('GET', `${P}/global/override/nope`, { token: alice.accessToken });
    assert.deepEqual([missing.status, missing.body.errcode], [404, 'M_NOT_FOUND']);
    const badKind = await s.call('GET', `${P}/global/sideways/x`, { token: alice.accessToken });
    assert.deepEqual([badKind.status, badKind.body.errcode], [400, 'M_INVALID_PARAM']);
  });

  it('creates, orders, changes and deletes user rules', async () => {
    const put = (id: string, q = '') => s.call('PUT', `${P}/global/content/${id}${q}`, { token: alice.accessToken, body: { pattern: id, actions: ['notify'] } });
    assert.deepEqual((await put('cake')).body, {});
    assert.equal((await put('pie', '?before=cake')).status, 200);
    assert.equal((await put('tart', '?after=cake')).status, 200);
    const content = (await s.call('GET', `${P}/global/`, { token: alice.accessToken })).body.content as Array<{ rule_id: string; default: boolean }>;
    assert.deepEqual(content.filter((r) => !r.default).map((r) => r.rule_id), ['pie', 'cake', 'tart']);
    const rule = await s.call('GET', `${P}/global/content/cake`, { token: alice.accessToken });
    assert.deepEqual(rule.body, { rule_id: 'cake', default: false, enabled: true, pattern: 'cake', actions: ['notify'] });
    assert.equal((await s.call('PUT', `${P}/global/content/cake/enabled`, { token: alice.accessToken, body: { enabled: false } })).status, 200);
    assert.deepEqual((await s.call('GET', `${P}/global/content/cake/enabled`, { token: alice.accessToken })).body, { enabled: false });
    const actions = [{ set_tweak: 'sound', value: 'default' }, 'notify'];
    assert.equal((await s.call('PUT', `${P}/global/content/cake/actions`, { token: alice.accessToken, body: { actions } })).status, 200);
    assert.deepEqual((await s.call('GET', `${P}/global/content/cake/actions`, { token: alice.accessToken })).body, { actions });
    assert.equal((await s.call('DELETE', `${P}/global/content/cake`, { token: alice.accessToken })).status, 200);
    assert.equal((await s.call('GET', `${P}/global/content/cake`, { token: alice.accessToken })).status, 404);
    const gone = await s.call('DELETE', `${P}/global/content/cake`, { token: alice.accessToken });
    assert.deepEqual([gone.status, gone.body.errcode], [404, 'M_NOT_FOUND']);
  });

  it('refuses bad rules', async () => {
    const noActions = await s.call('PUT', `${P}/global/content/x`, { token: alice.accessToken, body: { pattern: 'x' } });
    assert.deepEqual([noActions.status, noActions.body.errcode], [400, 'M_MISSING_PARAM']);
    const dotted = await s.call('PUT', `${P}/global/content/.m.mine`, { token: alice.accessToken, body: { pattern: 'x', actions: [] } });
    assert.equal(dotted.status, 400);
    const badBefore = await s.call('PUT', `${P}/global/content/y?before=nonexistent`, { token: alice.accessToken, body: { pattern: 'y', actions: [] } });
    assert.equal(badBefore.status, 400);
    const enabledUnknown = await s.call('PUT', `${P}/global/override/nope/enabled`, { token: alice.accessToken, body: { enabled: true } });
    assert.equal(enabledUnknown.status, 404);
    const enabledBad = await s.call('PUT', `${P}/global/override/.m.rule.master/enabled`, { token: alice.accessToken, body: { enabled: 'yes' } });
    assert.deepEqual([enabledBad.status, enabledBad.body.errcode], [400, 'M_BAD_JSON']);
  });

  it('requires authentication', async () => {
    const res = await s.call('GET', `${P}/`);
    assert.deepEqual([res.status, res.body.errcode], [401, 'M_MISSING_TOKEN']);
  });
});

describe('capabilities', () => {
  let s: ClientTestServer;
  before(async () => {
    s = await startClientTestServer({ rooms: { default_version: '10' } });
  });
  after(() => s.stop());

  it('lists the room versions with the configured default and the account capabilities', async () => {
    const u = await s.register('alice');
    const res = await s.call('GET', `${V3}/capabilities`, { token: u.accessToken });
    assert.equal(res.status, 200);
    const caps = res.body.capabilities as Record<string, unknown>;
    assert.deepEqual(caps['m.room_versions'], {
      default: '10',
      available: Object.fromEntries(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'].map((v) => [v, 'stable'])),
    });
    assert.deepEqual(caps['m.change_password'], { enabled: true });
    assert.deepEqual(caps['m.set_displayname'], { enabled: true });
    assert.deepEqual(caps['m.set_avatar_url'], { enabled: true });
    assert.deepEqual(caps['m.3pid_changes'], { enabled: false });
    assert.deepEqual(caps['m.get_login_token'], { enabled: true });
    assert.deepEqual(caps['m.profile_fields'], { enabled: true });
    const anon = await s.call('GET', `${V3}/capabilities`);
    assert.equal(anon.status, 401);
  });
});
