/**
 * `POST /user_directory/search` against a real monolith: the directory is filled by the userapi's
 * consumer of the roomserver's output, so every expectation is polled until it holds (or a
 * deadline passes). Users sharing a room and users in public rooms are found; leaving, join rule
 * changes, display name changes and deactivation are followed; `search_all_users` finds loners.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { passwordAuth, startClientTestServer, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

/** Runs `check` until it passes, retrying every 20 ms for up to 10 s (the directory is eventually consistent). */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

interface Client {
  post(path: string, body?: unknown): Promise<Res>;
  put(path: string, body?: unknown): Promise<Res>;
}

function ok(res: Res): Record<string, unknown> {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

function clientOf(s: ClientTestServer, u: TestUser): Client {
  return {
    post: (path, body = {}) => s.call('POST', V3 + path, { token: u.accessToken, body }),
    put: (path, body = {}) => s.call('PUT', V3 + path, { token: u.accessToken, body }),
  };
}

/** The user IDs `u` finds for `term`. */
async function found(s: ClientTestServer, u: TestUser, term: string): Promise<string[]> {
  const body = ok(await clientOf(s, u).post('/user_directory/search', { search_term: term }));
  return (body.results as Array<{ user_id: string }>).map((r) => r.user_id);
}

/** Waits until `u` finds exactly `expected` for `term`. */
const finds = (s: ClientTestServer, u: TestUser, term: string, expected: string[]) =>
  eventually(async () => assert.deepEqual(await found(s, u, term), expected, `${u.userId} searching "${term}"`));

describe('user directory: search', () => {
  let s: ClientTestServer;
  let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, erin: TestUser, frank: TestUser;
  let privateRoom = '';
  let publicRoom = '';
  before(async () => {
    s = await startClientTestServer();
    [alice, bob, carol, dave, erin, frank] = await Promise.all([
      s.register('alice'),
      s.register('bob'),
      s.register('carol'),
      s.register('dave'),
      s.register('erin'),
      s.register('frank'),
    ]);
    const a = clientOf(s, alice);
    privateRoom = String(ok(await a.post('/createRoom', { preset: 'private_chat', invite: [bob.userId, frank.userId] })).room_id);
    ok(await clientOf(s, bob).post(`/join/${enc(privateRoom)}`));
    publicRoom = String(ok(await clientOf(s, carol).post('/createRoom', { preset: 'public_chat' })).room_id);
    ok(await clientOf(s, dave).post(`/join/${enc(publicRoom)}`));
  });
  after(() => s.stop());

  it('validates the request', async () => {
    const missing = await clientOf(s, alice).post('/user_directory/search', { limit: 3 });
    assert.deepEqual([missing.status, missing.body.errcode], [400, 'M_MISSING_PARAM']);
    const badLimit = await clientOf(s, alice).post('/user_directory/search', { search_term: 'x', limit: 'ten' });
    assert.deepEqual([badLimit.status, badLimit.body.errcode], [400, 'M_BAD_JSON']);
    const anonymous = await s.call('POST', `${V3}/user_directory/search`, { body: { search_term: 'x' } });
    assert.deepEqual([anonymous.status, anonymous.body.errcode], [401, 'M_MISSING_TOKEN']);
  });

  it('finds users sharing a room, with their profile', async () => {
    await eventually(async () => {
      const body = ok(await clientOf(s, alice).post('/user_directory/search', { search_term: 'BO' }));
      assert.deepEqual(body, { results: [{ user_id: bob.userId, display_name: 'bob' }], limited: false });
    });
    await finds(s, bob, 'alice', [alice.userId]);
    await finds(s, alice, 'alice', [alice.userId]);
    // An invite is not a membership: frank has not joined.
    await finds(s, alice, 'frank', []);
  });

  it('finds members of public rooms, not of private ones', async () => {
    await finds(s, erin, 'carol', [carol.userId]);
    await finds(s, erin, 'dave', [dave.userId]);
    await finds(s, erin, 'alice', []);
    await finds(s, erin, 'bob', []);
    await finds(s, carol, 'bob', []);
  });

  it('puts users sharing a room first and cuts at the limit', async () => {
    // "hs" is a word of every local user ID (@x:hs.test).
    await finds(s, alice, 'hs', [alice.userId, bob.userId, carol.userId, dave.userId]);
    const body = ok(await clientOf(s, dave).post('/user_directory/search', { search_term: 'hs', limit: 3 }));
    // Dave shares the public room with carol; alice and bob are in no room he can see.
    assert.deepEqual(body.results, [
      { user_id: carol.userId, display_name: 'carol' },
      { user_id: dave.userId, display_name: 'dave' },
    ]);
    assert.equal(body.limited, false);
    const cut = ok(await clientOf(s, alice).post('/user_directory/search', { search_term: 'hs', limit: 3 }));
    assert.deepEqual([(cut.results as Array<{ user_id: string }>).map((r) => r.user_id), cut.limited], [[alice.userId, bob.userId, carol.userId], true]);
  });

  it('finds a user by a new display name', async () => {
    ok(await clientOf(s, bob).put(`/profile/${enc(bob.userId)}/displayname`, { displayname: 'Robert Paulson' }));
    await eventually(async () => {
      const body = ok(await clientOf(s, alice).post('/user_directory/search', { search_term: 'paul' }));
      assert.deepEqual(body.results, [{ user_id: bob.userId, display_name: 'Robert Paulson' }]);
    });
    await finds(s, alice, 'robert paulson', [bob.userId]);
    await finds(s, alice, 'bob', [bob.userId]);
  });

  it('forgets a user who leaves, until they share a room again', async () => {
    ok(await clientOf(s, bob).post(`/rooms/${enc(privateRoom)}/leave`));
    await finds(s, alice, 'bob', []);
    ok(await clientOf(s, bob).post(`/join/${enc(publicRoom)}`));
    await finds(s, alice, 'bob', [bob.userId]);
  });

  it('makes members findable when a private room becomes public', async () => {
    ok(await clientOf(s, frank).post(`/join/${enc(privateRoom)}`));
    await finds(s, alice, 'frank', [frank.userId]);
    await finds(s, erin, 'frank', []);
    ok(await clientOf(s, alice).put(`/rooms/${enc(privateRoom)}/state/m.room.join_rules`, { join_rule: 'public' }));
    await finds(s, erin, 'frank', [frank.userId]);
    await finds(s, erin, 'alice', [alice.userId]);
  });

  it('never shows a deactivated user', async () => {
    await finds(s, carol, 'dave', [dave.userId]);
    const first = await clientOf(s, dave).post('/account/deactivate');
    assert.equal(first.status, 401);
    ok(await clientOf(s, dave).post('/account/deactivate', { auth: passwordAuth(dave, String(first.body.session)) }));
    await finds(s, carol, 'dave', []);
    await finds(s, erin, 'dave', []);
  });
});

describe('user directory: search_all_users', () => {
  let s: ClientTestServer;
  before(async () => {
    s = await startClientTestServer({ user_directory: { search_all_users: true } });
  });
  after(() => s.stop());

  it('finds local users who share no room with anyone', async () => {
    const [loner, seeker] = await Promise.all([s.register('loner'), s.register('seeker')]);
    ok(await clientOf(s, loner).put(`/profile/${enc(loner.userId)}/displayname`, { displayname: 'Lonely Larry' }));
    await eventually(async () => {
      const body = ok(await clientOf(s, seeker).post('/user_directory/search', { search_term: 'larry' }));
      assert.deepEqual(body, { results: [{ user_id: loner.userId, display_name: 'Lonely Larry' }], limited: false });
    });
    await finds(s, seeker, 'loner', [loner.userId]);
    await finds(s, loner, 'seek', [seeker.userId]);
  });
});
