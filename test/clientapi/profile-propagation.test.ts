/**
 * Profile changes reach rooms (spec, "Events on Change of Profile Information") over real HTTP
 * against a monolith: setting or deleting `displayname`/`avatar_url` sends one new `m.room.member`
 * join to each room the user is joined to, with the other content kept and the one-time keys
 * dropped; rooms the user left get nothing; a user in no rooms still changes their profile.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startClientTestServer, userCalls, type ClientTestServer, type TestUser } from './client-test-server.js';

const V3 = '/_matrix/client/v3';
const enc = encodeURIComponent;

interface Ev {
  readonly event_id: string;
  readonly type: string;
  readonly sender: string;
  readonly state_key?: string;
  readonly content: Record<string, unknown>;
}

describe('clientapi: profile changes propagate to joined rooms', () => {
  let s: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let roomA: string;
  let roomB: string;
  let leftRoom: string;
  const { ok, post, put, create } = userCalls(() => s);
  const get = (u: TestUser, path: string) => s.call('GET', V3 + path, { token: u.accessToken });
  const del = (u: TestUser, path: string) => s.call('DELETE', V3 + path, { token: u.accessToken });

  /** Alice's member event in `roomId` now, as bob (always joined) reads it. */
  const memberEvent = async (roomId: string, userId = alice.userId): Promise<Ev> =>
    ok(await get(bob, `/rooms/${enc(roomId)}/state/m.room.member/${enc(userId)}?format=event`)) as unknown as Ev;
  /** Alice's member events in the room's timeline, newest first, as bob pages back. */
  const memberTimeline = async (roomId: string): Promise<Ev[]> => {
    const res = ok(await get(bob, `/rooms/${enc(roomId)}/messages?dir=b&limit=100`));
    return (res.chunk as Ev[]).filter((e) => e.type === 'm.room.member' && e.state_key === alice.userId);
  };
  const setProfile = async (u: TestUser, field: string, value: string) => ok(await put(u, `/profile/${enc(u.userId)}/${field}`, { [field]: value }));

  before(async () => {
    s = await startClientTestServer();
    [alice, bob, carol] = [await s.register('alice'), await s.register('bob'), await s.register('carol')];
    roomA = await create(bob, { preset: 'public_chat' });
    roomB = await create(bob, { preset: 'public_chat' });
    leftRoom = await create(bob, { preset: 'public_chat' });
    ok(await post(alice, `/rooms/${enc(roomA)}/join`, { reason: 'hello' }));
    ok(await post(alice, `/rooms/${enc(roomB)}/join`));
    ok(await post(alice, `/rooms/${enc(leftRoom)}/join`));
    ok(await post(alice, `/rooms/${enc(leftRoom)}/leave`));
    // A member event of alice's own with a key that must survive and one that must not.
    ok(await put(alice, `/rooms/${enc(roomB)}/state/m.room.member/${enc(alice.userId)}`, {
      membership: 'join',
      displayname: 'alice',
      'org.example.flair': 'gold',
      join_authorised_via_users_server: bob.userId,
    }));
  });
  after(() => s.stop());

  it('sends one join with the new displayname to each joined room, keeping other keys and dropping one-time ones', async () => {
    const beforeA = await memberEvent(roomA);
    const beforeB = await memberEvent(roomB);
    assert.deepEqual(beforeA.content, { membership: 'join', displayname: 'alice', reason: 'hello' });
    assert.equal(beforeB.content.join_authorised_via_users_server, bob.userId);
    const leftBefore = await memberEvent(leftRoom);
    const timelineA = (await memberTimeline(roomA)).length;
    const timelineB = (await memberTimeline(roomB)).length;

    await setProfile(alice, 'displayname', 'Alice Liddell');

    const afterA = await memberEvent(roomA);
    const afterB = await memberEvent(roomB);
    assert.notEqual(afterA.event_id, beforeA.event_id);
    assert.notEqual(afterB.event_id, beforeB.event_id);
    assert.deepEqual([afterA.sender, afterA.state_key], [alice.userId, alice.userId]);
    assert.deepEqual(afterA.content, { membership: 'join', displayname: 'Alice Liddell' });
    assert.deepEqual(afterB.content, { membership: 'join', displayname: 'Alice Liddell', 'org.example.flair': 'gold' });
    // Exactly one new event in each timeline, and it is the one now in the state.
    for (const [roomId, count, ev] of [[roomA, timelineA, afterA], [roomB, timelineB, afterB]] as const) {
      const timeline = await memberTimeline(roomId);
      assert.equal(timeline.length, count + 1);
      assert.equal(timeline[0]!.event_id, ev.event_id);
    }
    // The plain state read shows the content too.
    assert.deepEqual(ok(await get(alice, `/rooms/${enc(roomA)}/state/m.room.member/${enc(alice.userId)}`)), { membership: 'join', displayname: 'Alice Liddell' });
    // The room alice left gets nothing, and she stays out of it.
    const leftAfter = await memberEvent(leftRoom);
    assert.equal(leftAfter.event_id, leftBefore.event_id);
    assert.equal(leftAfter.content.membership, 'leave');
    assert.deepEqual(ok(await get(alice, '/joined_rooms')).joined_rooms, [roomA, roomB].sort());
  });

  it('sets and removes avatar_url alongside the displayname', async () => {
    await setProfile(alice, 'avatar_url', 'mxc://example.org/alice');
    assert.deepEqual((await memberEvent(roomA)).content, { membership: 'join', displayname: 'Alice Liddell', avatar_url: 'mxc://example.org/alice' });
    assert.deepEqual((await memberEvent(roomB)).content, {
      membership: 'join',
      displayname: 'Alice Liddell',
      avatar_url: 'mxc://example.org/alice',
      'org.example.flair': 'gold',
    });
    ok(await del(alice, `/profile/${enc(alice.userId)}/avatar_url`));
    assert.deepEqual((await memberEvent(roomA)).content, { membership: 'join', displayname: 'Alice Liddell' });
    assert.deepEqual((await memberEvent(roomB)).content, { membership: 'join', displayname: 'Alice Liddell', 'org.example.flair': 'gold' });
  });

  it('removes the displayname key when the displayname is deleted', async () => {
    const beforeA = await memberEvent(roomA);
    ok(await del(alice, `/profile/${enc(alice.userId)}/displayname`));
    const afterA = await memberEvent(roomA);
    assert.notEqual(afterA.event_id, beforeA.event_id);
    assert.deepEqual(afterA.content, { membership: 'join' });
    assert.deepEqual((await memberEvent(roomB)).content, { membership: 'join', 'org.example.flair': 'gold' });
    // Back to a name: the key returns.
    await setProfile(alice, 'displayname', 'Alice');
    assert.deepEqual((await memberEvent(roomA)).content, { membership: 'join', displayname: 'Alice' });
  });

  it('sends nothing when the value does not change or the field is not shown in rooms', async () => {
    const count = (await memberTimeline(roomA)).length;
    const id = (await memberEvent(roomA)).event_id;
    await setProfile(alice, 'displayname', 'Alice');
    await setProfile(alice, 'm.tz', 'Europe/London');
    assert.equal((await memberEvent(roomA)).event_id, id);
    assert.equal((await memberTimeline(roomA)).length, count);
  });

  it('succeeds for a user in no rooms', async () => {
    assert.deepEqual(ok(await get(carol, '/joined_rooms')).joined_rooms, []);
    assert.deepEqual(await setProfile(carol, 'displayname', 'Carol C'), {});
    assert.deepEqual(ok(await del(carol, `/profile/${enc(carol.userId)}/avatar_url`)), {});
    assert.deepEqual(ok(await get(carol, `/profile/${enc(carol.userId)}`)), { displayname: 'Carol C' });
  });
});
