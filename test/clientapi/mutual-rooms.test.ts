/**
 * `GET /_matrix/client/v1/mutual_rooms` over real HTTP against an in-process monolith: only rooms
 * where both users are joined (not invited, not left), sorted, the total count, batches with an
 * opaque `next_batch`, and the spec's 400s.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MUTUAL_ROOMS_BATCH } from '../../src/clientapi/routing/get-mutual-rooms.js';
import { startClientTestServer, userCalls, type ClientTestServer, type Res, type TestUser } from './client-test-server.js';

const enc = encodeURIComponent;

describe('GET /mutual_rooms', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const { ok, post, create } = userCalls(() => s);
  const mutual = (u: TestUser, query: string): Promise<Res> => s.call('GET', `/_matrix/client/v1/mutual_rooms?${query}`, { token: u.accessToken });
  const errcode = (res: Res) => [res.status, res.body.errcode];
  /** Alice's room that `joiner` joins. */
  const shared = async (joiner: TestUser): Promise<string> => {
    const roomId = await create(alice, { preset: 'public_chat' });
    ok(await post(joiner, `/rooms/${enc(roomId)}/join`));
    return roomId;
  };

  before(async () => {
    s = await startClientTestServer();
    [alice, bob, carol] = [await s.register('alice'), await s.register('bob'), await s.register('carol')];
  });
  after(() => s.stop());

  it('lists the rooms both are joined to, sorted, and no others', async () => {
    const both = [await shared(bob), await shared(bob)];
    await create(alice, { preset: 'public_chat' }); // alice alone
    const invited = await create(alice, { preset: 'private_chat' });
    ok(await post(alice, `/rooms/${enc(invited)}/invite`, { user_id: bob.userId }));
    const left = await shared(bob);
    ok(await post(bob, `/rooms/${enc(left)}/leave`));
    await shared(carol); // carol's, not bob's

    const res = ok(await mutual(alice, `user_id=${enc(bob.userId)}`));
    assert.deepEqual(res, { joined: [...both].sort(), count: 2 });
    // The same from the other side.
    assert.deepEqual(ok(await mutual(bob, `user_id=${enc(alice.userId)}`)), { joined: [...both].sort(), count: 2 });
  });

  it('answers an empty list for a user who shares nothing or does not exist', async () => {
    assert.deepEqual(ok(await mutual(bob, `user_id=${enc(carol.userId)}`)), { joined: [], count: 0 });
    assert.deepEqual(ok(await mutual(bob, `user_id=${enc('@nobody:elsewhere.test')}`)), { joined: [], count: 0 });
  });

  it('pages with next_batch, each room once, count always the total', async () => {
    const dave = await s.register('dave');
    const rooms: string[] = [];
    for (let i = 0; i < MUTUAL_ROOMS_BATCH + 3; i++) {
      const roomId = await create(dave, { preset: 'public_chat' });
      ok(await post(carol, `/rooms/${enc(roomId)}/join`));
      rooms.push(roomId);
    }
    const sorted = [...rooms].sort();
    const first = ok(await mutual(dave, `user_id=${enc(carol.userId)}`));
    assert.equal(first.count, MUTUAL_ROOMS_BATCH + 3);
    assert.deepEqual(first.joined, sorted.slice(0, MUTUAL_ROOMS_BATCH));
    assert.equal(typeof first.next_batch, 'string');
    const second = ok(await mutual(dave, `user_id=${enc(carol.userId)}&from=${enc(String(first.next_batch))}`));
    assert.equal(second.count, MUTUAL_ROOMS_BATCH + 3);
    assert.equal(second.next_batch, undefined);
    assert.deepEqual(second.joined, sorted.slice(MUTUAL_ROOMS_BATCH));
  });

  it('refuses a missing, own, non-compliant user ID and a foreign from token', async () => {
    assert.equal((await s.call('GET', '/_matrix/client/v1/mutual_rooms', { token: alice.accessToken })).status, 400);
    assert.deepEqual(errcode(await mutual(alice, `user_id=${enc(alice.userId)}`)), [400, 'M_INVALID_PARAM']);
    assert.deepEqual(errcode(await mutual(alice, `user_id=${enc('@bad user:example.org')}`)), [400, 'M_INVALID_PARAM']);
    assert.deepEqual(errcode(await mutual(alice, `user_id=${enc('not-a-user-id')}`)), [400, 'M_INVALID_PARAM']);
    assert.deepEqual(errcode(await mutual(alice, `user_id=${enc(bob.userId)}&from=s12_34`)), [400, 'M_INVALID_PARAM']);
    // Historical (but compliant) IDs are accepted.
    assert.deepEqual(ok(await mutual(alice, `user_id=${enc('@Old.Style:example.org')}`)), { joined: [], count: 0 });
  });

  it('needs an access token', async () => {
    assert.deepEqual(errcode(await s.call('GET', `/_matrix/client/v1/mutual_rooms?user_id=${enc(bob.userId)}`)), [401, 'M_MISSING_TOKEN']);
  });
});
