import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import { testRoomSummary } from '../../internal/roomsummary/test-room-summary.js';
import type { RoomSummary, SpaceChildState } from '../../roomserver/api.js';
import { spaceHierarchyRoutes } from './space-hierarchy.js';
import { QUERY_TEST_ORIGIN, queryTestApp, signedGet } from './test-query-app.js';

const child = (stateKey: string, ts: number, content: JsonObject = { via: ['us.test'] }): SpaceChildState => ({ stateKey, sender: '@owner:us.test', originServerTs: ts, content });

const summary = (roomId: string, over: Partial<RoomSummary> = {}): RoomSummary => testRoomSummary(roomId, { roomVersion: '10', ...over });

const ROOMS = new Map<string, RoomSummary>(
  [
    summary('!root:us.test', {
      name: 'Root',
      joinRule: 'public',
      roomType: 'm.space',
      numJoinedMembers: 3,
      childrenState: [
        child('!pub:us.test', 10, { via: ['us.test'], order: 'b' }),
        child('!inv:us.test', 11),
        child('!joined:us.test', 12),
        child('!restr:us.test', 13),
        child('!restr2:us.test', 14),
        child('!gone:us.test', 15),
        child('!novia:us.test', 16, { via: [] }),
        child('!sub:us.test', 17, { via: ['us.test'], suggested: true, order: 'a' }),
      ],
    }),
    summary('!pub:us.test', { joinRule: 'public', topic: 'open to all', encryption: 'm.megolm.v1.aes-sha2' }),
    summary('!inv:us.test'),
    summary('!joined:us.test', { name: 'Shared' }),
    summary('!restr:us.test', { joinRule: 'restricted', allowedRoomIds: ['!elsewhere:us.test', '!club:us.test'] }),
    summary('!restr2:us.test', { joinRule: 'restricted', allowedRoomIds: ['!elsewhere:us.test'] }),
    summary('!novia:us.test', { joinRule: 'public' }),
    summary('!sub:us.test', { joinRule: 'knock', roomVersion: '7', roomType: 'm.space', childrenState: [child('!deep:us.test', 20), child('!bad:us.test', 21, { via: 'us.test' })] }),
    summary('!private:us.test', { roomType: 'm.space', childrenState: [child('!pub:us.test', 30)] }),
    summary('!ours:us.test', { roomType: 'm.space', childrenState: [child('!pub:us.test', 30)] }),
  ].map((r) => [r.roomId, r]),
);
/** Rooms with members from the asking server. */
const ORIGIN_IN = new Set(['!joined:us.test', '!club:us.test', '!ours:us.test']);

describe('GET /_matrix/federation/v1/hierarchy/{roomId}', () => {
  const joinedAsked: string[] = [];
  const summariesAsked: (readonly string[])[] = [];
  const app = queryTestApp(
    () =>
      spaceHierarchyRoutes({
        roomserverApi: {
          queryRoomSummaries: async (req) => {
            assert.equal(req.userId, undefined, 'a server has no membership of its own');
            summariesAsked.push(req.roomIds);
            return { rooms: req.roomIds.flatMap((id) => (ROOMS.has(id) ? [ROOMS.get(id)!] : [])) };
          },
          queryJoinedServers: async ({ roomId }) => {
            joinedAsked.push(roomId);
            return { serverNames: ORIGIN_IN.has(roomId) ? ['us.test', QUERY_TEST_ORIGIN] : ['us.test', 'other.test'] };
          },
          queryPublicRoomsSummaries: () => assert.fail('not used'),
        },
        userApi: { queryOpenIdToken: () => assert.fail('not used') },
      }),
    {},
  );
  after(() => app.close());
  const get = (roomId: string, qs = '', signed = true) => signedGet(app, `/_matrix/federation/v1/hierarchy/${encodeURIComponent(roomId)}${qs}`, signed);
  const stripped = (stateKey: string, ts: number, content: JsonObject = { via: ['us.test'] }) => ({ type: 'm.space.child', state_key: stateKey, content, sender: '@owner:us.test', origin_server_ts: ts });

  it('answers the space, the children the origin may see and those it may not', async () => {
    joinedAsked.length = 0;
    const res = await get('!root:us.test');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      room: {
        room_id: '!root:us.test',
        num_joined_members: 3,
        world_readable: false,
        guest_can_join: false,
        name: 'Root',
        join_rule: 'public',
        room_type: 'm.space',
        room_version: '10',
        children_state: [
          stripped('!sub:us.test', 17, { via: ['us.test'], suggested: true, order: 'a' }),
          stripped('!pub:us.test', 10, { via: ['us.test'], order: 'b' }),
          stripped('!inv:us.test', 11),
          stripped('!joined:us.test', 12),
          stripped('!restr:us.test', 13),
          stripped('!restr2:us.test', 14),
          stripped('!gone:us.test', 15),
        ],
      },
      children: [
        {
          room_id: '!sub:us.test',
          num_joined_members: 1,
          world_readable: false,
          guest_can_join: false,
          join_rule: 'knock',
          room_type: 'm.space',
          room_version: '7',
          children_state: [stripped('!deep:us.test', 20)],
        },
        {
          room_id: '!pub:us.test',
          num_joined_members: 1,
          world_readable: false,
          guest_can_join: false,
          topic: 'open to all',
          join_rule: 'public',
          encryption: 'm.megolm.v1.aes-sha2',
          room_version: '10',
          children_state: [],
        },
        { room_id: '!joined:us.test', num_joined_members: 1, world_readable: false, guest_can_join: false, name: 'Shared', join_rule: 'invite', room_version: '10', children_state: [] },
        {
          room_id: '!restr:us.test',
          num_joined_members: 1,
          world_readable: false,
          guest_can_join: false,
          join_rule: 'restricted',
          allowed_room_ids: ['!elsewhere:us.test', '!club:us.test'],
          room_version: '10',
          children_state: [],
        },
      ],
      inaccessible_children: ['!inv:us.test', '!restr2:us.test'],
    });
    // Open rooms cost no membership query, and each room's servers are asked once.
    assert.deepEqual(joinedAsked, ['!inv:us.test', '!joined:us.test', '!restr:us.test', '!elsewhere:us.test', '!club:us.test', '!restr2:us.test']);
  });

  it('with suggested_only, keeps only suggested children', async () => {
    const res = await get('!root:us.test', '?suggested_only=true');
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.room as JsonObject).children_state, [stripped('!sub:us.test', 17, { via: ['us.test'], suggested: true, order: 'a' })]);
    assert.deepEqual((res.body.children as JsonObject[]).map((c) => [c.room_id, c.children_state]), [['!sub:us.test', []]]);
    assert.deepEqual(res.body.inaccessible_children, []);
  });

  it('answers a room that is not a space with no children, without asking for any', async () => {
    const before = summariesAsked.length;
    const res = await get('!pub:us.test');
    assert.equal(res.status, 200);
    assert.deepEqual([(res.body.room as JsonObject).children_state, res.body.children, res.body.inaccessible_children], [[], [], []]);
    assert.equal(summariesAsked.length, before + 1);
  });

  it('is 404 for a room the origin may not see or we do not know, 200 for a private room it is in', async () => {
    for (const roomId of ['!private:us.test', '!unknown:us.test']) {
      const res = await get(roomId);
      assert.equal(res.status, 404, roomId);
      assert.equal(res.body.errcode, 'M_NOT_FOUND', roomId);
    }
    const ours = await get('!ours:us.test');
    assert.equal(ours.status, 200);
    assert.deepEqual((ours.body.children as JsonObject[]).map((c) => c.room_id), ['!pub:us.test']);
  });

  it('is 400 for a malformed room ID and 401 unsigned', async () => {
    const bad = await get('not-a-room');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errcode, 'M_INVALID_PARAM');
    assert.equal((await get('!root:us.test', '', false)).status, 401);
  });
});
