/** `POST /user/{userId}/filter` and `GET /user/{userId}/filter/{filterId}` against a real server. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SHARED_SECRET, startClientTestServer, type ClientTestServer, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

/** The spec's example filter. */
const SPEC_EXAMPLE = {
  room: {
    state: { types: ['m.room.*'], not_rooms: ['!726s6s6q:example.com'] },
    timeline: { limit: 10, types: ['m.room.message'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
    ephemeral: { types: ['m.receipt', 'm.typing'], not_rooms: ['!726s6s6q:example.com'], not_senders: ['@spam:example.com'] },
  },
  presence: { types: ['m.presence'], not_senders: ['@alice:example.com'] },
  event_format: 'client',
  event_fields: ['type', 'content', 'sender'],
};

describe('filters', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  const create = (user: TestUser, body: unknown, owner = user.userId) => s.call('POST', `${V3}/user/${enc(owner)}/filter`, { token: user.accessToken, body });
  const read = (user: TestUser, filterId: string, owner = user.userId) => s.call('GET', `${V3}/user/${enc(owner)}/filter/${enc(filterId)}`, { token: user.accessToken });

  before(async () => {
    s = await startClientTestServer({ registration: { enabled: true, guests: true, shared_secret: SHARED_SECRET } });
    alice = await s.register('alice');
    bob = await s.register('bob');
  });
  after(() => s.stop());

  it('creates the spec example filter and reads it back', async () => {
    const res = await create(alice, SPEC_EXAMPLE);
    assert.equal(res.status, 200);
    const filterId = res.body.filter_id;
    assert.equal(typeof filterId, 'string');
    assert.ok(!String(filterId).startsWith('{'), 'a filter ID never starts with {');
    const got = await read(alice, String(filterId));
    assert.deepEqual([got.status, got.body], [200, SPEC_EXAMPLE]);
  });

  it('gives the same filter the same ID, and another filter another', async () => {
    const a = await create(alice, { room: { timeline: { limit: 3 } }, event_format: 'client' });
    const b = await create(alice, { event_format: 'client', room: { timeline: { limit: 3 } } });
    const c = await create(alice, { room: { timeline: { limit: 4 } } });
    assert.deepEqual([a.status, b.status, c.status], [200, 200, 200]);
    assert.equal(b.body.filter_id, a.body.filter_id);
    assert.notEqual(c.body.filter_id, a.body.filter_id);
    // The same filter uploaded by someone else is theirs, with its own ID.
    const other = await create(bob, { room: { timeline: { limit: 3 } }, event_format: 'client' });
    assert.equal(other.status, 200);
    assert.notEqual(other.body.filter_id, a.body.filter_id);
  });

  it('accepts the empty filter (an empty body counts as {}) and keeps unknown keys', async () => {
    const empty = await create(alice, {});
    assert.equal(empty.status, 200);
    assert.deepEqual((await read(alice, String(empty.body.filter_id))).body, {});
    const none = await s.call('POST', `${V3}/user/${enc(alice.userId)}/filter`, { token: alice.accessToken });
    assert.deepEqual([none.status, none.body.filter_id], [200, empty.body.filter_id]);
    const unknown = { 'org.example.flag': true, room: { timeline: { 'org.matrix.labels': ['#x'] } } };
    const made = await create(alice, unknown);
    assert.deepEqual((await read(alice, String(made.body.filter_id))).body, unknown);
  });

  it("refuses to create or read filters for someone else (403)", async () => {
    const mine = await create(bob, { presence: { types: [] } });
    const post = await create(alice, { room: {} }, bob.userId);
    assert.deepEqual([post.status, post.body.errcode], [403, 'M_FORBIDDEN']);
    const get = await read(alice, String(mine.body.filter_id), bob.userId);
    assert.deepEqual([get.status, get.body.errcode], [403, 'M_FORBIDDEN']);
    const remote = await create(alice, {}, '@alice:elsewhere.example');
    assert.deepEqual([remote.status, remote.body.errcode], [403, 'M_FORBIDDEN']);
  });

  it("answers 404 for unknown IDs and for someone else's filter ID under one's own name", async () => {
    const bobs = await create(bob, { account_data: { types: ['m.direct'] } });
    const cases = [String(bobs.body.filter_id), '999999', 'abc', '{"room":{}}', '-1'];
    for (const id of cases) {
      const res = await read(alice, id);
      assert.deepEqual([res.status, res.body.errcode], [404, 'M_NOT_FOUND'], id);
    }
  });

  it('refuses bad filters with 400, naming the field', async () => {
    const cases: Array<[unknown, string, string]> = [
      [[], 'M_BAD_JSON', 'The filter must be a JSON object'],
      [{ room: { timeline: { limit: 'ten' } } }, 'M_BAD_JSON', 'room.timeline.limit must be an integer'],
      [{ room: { timeline: { limit: 0 } } }, 'M_INVALID_PARAM', 'room.timeline.limit must be greater than 0'],
      [{ room: { state: { types: ['m.room.*', 7] } } }, 'M_BAD_JSON', 'room.state.types[1] must be a string'],
      [{ event_format: 'raw' }, 'M_INVALID_PARAM', 'event_format must be one of client, federation'],
      [{ event_fields: [1] }, 'M_BAD_JSON', 'event_fields[0] must be a string'],
      [{ presence: { senders: ['alice'] } }, 'M_INVALID_PARAM', 'presence.senders[0] must be a user ID (starting with @)'],
      [{ room: { rooms: ['#alias:hs'] } }, 'M_INVALID_PARAM', 'room.rooms[0] must be a room ID (starting with !)'],
      [{ room: { include_leave: 'yes' } }, 'M_BAD_JSON', 'room.include_leave must be a boolean'],
    ];
    for (const [body, errcode, error] of cases) {
      const res = await create(alice, body);
      assert.deepEqual([res.status, res.body], [400, { errcode, error }], JSON.stringify(body));
    }
    const notJson = await fetch(`${s.url}${V3}/user/${enc(alice.userId)}/filter`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/json' },
      body: '{"room":',
    });
    assert.deepEqual([notJson.status, ((await notJson.json()) as { errcode: string }).errcode], [400, 'M_NOT_JSON']);
  });

  it('needs an access token and refuses guests', async () => {
    const anon = await s.call('POST', `${V3}/user/${enc(alice.userId)}/filter`, { body: {} });
    assert.deepEqual([anon.status, anon.body.errcode], [401, 'M_MISSING_TOKEN']);
    const anonGet = await s.call('GET', `${V3}/user/${enc(alice.userId)}/filter/0`);
    assert.deepEqual([anonGet.status, anonGet.body.errcode], [401, 'M_MISSING_TOKEN']);
    const g = await s.call('POST', `${V3}/register?kind=guest`, { body: {} });
    assert.equal(g.status, 200);
    const guest = await s.call('POST', `${V3}/user/${enc(String(g.body.user_id))}/filter`, { token: String(g.body.access_token), body: {} });
    assert.deepEqual([guest.status, guest.body.errcode], [403, 'M_GUEST_ACCESS_FORBIDDEN']);
  });

  it('is served under r0 too', async () => {
    const res = await s.call('POST', `/_matrix/client/r0/user/${enc(alice.userId)}/filter`, { token: alice.accessToken, body: { room: { include_leave: true } } });
    assert.equal(res.status, 200);
    const got = await s.call('GET', `/_matrix/client/r0/user/${enc(alice.userId)}/filter/${enc(String(res.body.filter_id))}`, { token: alice.accessToken });
    assert.deepEqual(got.body, { room: { include_leave: true } });
  });
});
