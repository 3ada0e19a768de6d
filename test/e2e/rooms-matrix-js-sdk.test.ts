/**
 * Rooms end to end with a real client: matrix-js-sdk from npm against a real monolith, rooms v11
 * and v12. Two users create a room, invite, join, send, read state and members, redact, leave,
 * and ban/unban — each answer read back through the SDK, so a response shape it cannot parse
 * fails here. No `startClient()`: every call is a plain request (the sync loop has its own suite,
 * sync-matrix-js-sdk.test.ts).
 */
import '../harness/matrix-sdk-polyfills.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventType, MatrixError, MsgType, Preset, type MatrixClient } from 'matrix-js-sdk';
import { createSdkClient } from '../harness/matrix-sdk-client.js';
import { startTestMonolith, TEST_SERVER_NAME, type TestMonolith } from '../harness/start-test-monolith.js';

async function sdkErrcode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof MatrixError, `expected a MatrixError, got ${String(e)}`);
    return e.errcode ?? '';
  }
  assert.fail('expected the call to be rejected');
}

describe('rooms through matrix-js-sdk', () => {
  let hs: TestMonolith;
  let alice: MatrixClient;
  let bob: MatrixClient;

  before(async () => {
    hs = await startTestMonolith();
    const anon = createSdkClient(hs.baseUrl);
    const make = async (username: string): Promise<MatrixClient> => {
      const res = await anon.registerRequest({ username, password: `pw-${username}-long`, auth: { type: 'm.login.dummy' } });
      return createSdkClient(hs.baseUrl, { accessToken: res.access_token!, userId: res.user_id, deviceId: res.device_id! });
    };
    alice = await make('alice');
    bob = await make('bob');
  });
  after(async () => {
    await hs?.stop();
  });

  for (const version of ['11', '12'] as const) {
    it(`v${version}: create, invite, join, send, state, members, redact, leave, ban`, async () => {
      const aliasName = `sdk${version}`;
      const { room_id: roomId } = await alice.createRoom({ preset: Preset.PrivateChat, room_version: version, name: 'SDK room', room_alias_name: aliasName });
      assert.deepEqual(await alice.getRoomIdForAlias(`#${aliasName}:${TEST_SERVER_NAME}`), { room_id: roomId, servers: [TEST_SERVER_NAME] });
      assert.equal(await sdkErrcode(bob.joinRoom(roomId)), 'M_FORBIDDEN');

      await alice.invite(roomId, bob.getUserId()!);
      const room = await bob.joinRoom(`#${aliasName}:${TEST_SERVER_NAME}`);
      assert.equal(room.roomId, roomId);
      assert.deepEqual((await bob.getJoinedRooms()).joined_rooms, [roomId]);

      const sent = await bob.sendEvent(roomId, EventType.RoomMessage, { msgtype: MsgType.Text, body: 'hello' }, 'txn-1');
      const again = await bob.sendEvent(roomId, EventType.RoomMessage, { msgtype: MsgType.Text, body: 'hello' }, 'txn-1');
      assert.equal(again.event_id, sent.event_id);
      const fetched = await alice.fetchRoomEvent(roomId, sent.event_id);
      assert.deepEqual([fetched.sender, fetched.type, fetched.content], [bob.getUserId(), 'm.room.message', { msgtype: 'm.text', body: 'hello' }]);

      await alice.sendStateEvent(roomId, EventType.RoomTopic, { topic: 'sdk topic' });
      assert.deepEqual(await bob.getStateEvent(roomId, EventType.RoomTopic, ''), { topic: 'sdk topic' });
      const state = await bob.roomState(roomId);
      assert.equal(state.find((e) => e.type === 'm.room.create')?.content.room_version, version);
      const members = await alice.getJoinedRoomMembers(roomId);
      assert.deepEqual(Object.keys(members.joined).sort(), [alice.getUserId(), bob.getUserId()].sort());
      const all = await alice.members(roomId, 'join');
      assert.equal(all.chunk?.length, 2);

      const redaction = await alice.redactEvent(roomId, sent.event_id, undefined, { reason: 'tidy' });
      assert.match(redaction.event_id, /^\$/);
      assert.deepEqual((await bob.fetchRoomEvent(roomId, sent.event_id)).content, {});

      await bob.leave(roomId);
      assert.deepEqual((await bob.getJoinedRooms()).joined_rooms, []);
      await alice.ban(roomId, bob.getUserId()!, 'no');
      assert.equal(await sdkErrcode(bob.joinRoom(roomId)), 'M_FORBIDDEN');
      await alice.unban(roomId, bob.getUserId()!);
      await alice.invite(roomId, bob.getUserId()!);
      await bob.joinRoom(roomId);
      await alice.kick(roomId, bob.getUserId()!, 'bye');
      assert.deepEqual((await alice.getLocalAliases(roomId)).aliases, [`#${aliasName}:${TEST_SERVER_NAME}`]);
      await alice.deleteAlias(`#${aliasName}:${TEST_SERVER_NAME}`);
      assert.equal(await sdkErrcode(alice.getRoomIdForAlias(`#${aliasName}:${TEST_SERVER_NAME}`)), 'M_NOT_FOUND');
    });
  }
});
