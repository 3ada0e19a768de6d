/**
 * `queryRoomSummaries` in-process and over inthttp on SQLite and PostgreSQL: the directory's
 * fields plus version, encryption, allow list, the asking user's membership, and the
 * `m.space.child` events of spaces only.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeRoomserverApi, SERVER, uid } from './roomserver-api-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob');

describeRoomserverApi('roomserver API: room summaries', (api) => {
  it('summarises spaces with their child events, and other rooms without', async () => {
    const { roomId: child } = await api().performCreateRoom({
      userId: ALICE,
      roomVersion: '10',
      preset: 'private_chat',
      name: 'Child',
      initialState: [{ type: 'm.room.encryption', content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
    });
    const { roomId: space } = await api().performCreateRoom({ userId: ALICE, preset: 'public_chat', name: 'Space', topic: 'Things', creationContent: { type: 'm.space' } });
    const { roomId: restricted } = await api().performCreateRoom({
      userId: ALICE,
      roomVersion: '9',
      initialState: [
        {
          type: 'm.room.join_rules',
          content: {
            join_rule: 'restricted',
            allow: [{ type: 'm.room_membership', room_id: space }, { type: 'm.other', room_id: '!x:y' }, { type: 'm.room_membership' }],
          },
        },
        // Not a space: its child events are not read.
        { type: 'm.space.child', stateKey: space, content: { via: [SERVER] } },
      ],
    });
    await api().performJoin({ roomIdOrAlias: space, userId: BOB });
    const [linkId] = (
      await api().performSendEvents({
        events: [
          { roomId: space, type: 'm.space.child', stateKey: restricted, sender: ALICE, content: { via: [SERVER], order: 'b' } },
          { roomId: space, type: 'm.space.child', stateKey: child, sender: ALICE, content: { via: [SERVER], suggested: true } },
          { roomId: space, type: 'm.space.child', stateKey: '!gone:elsewhere', sender: ALICE, content: {} },
        ],
      })
    ).eventIds;
    const [link] = (await api().queryEvents({ eventIds: [linkId!] })).events;

    const { rooms } = await api().queryRoomSummaries({ roomIds: [space, `!unknown:${SERVER}`, child, restricted], userId: BOB });
    assert.deepEqual(rooms.map((r) => r.roomId), [space, child, restricted]);
    const [s, c, r] = rooms;
    assert.deepEqual(
      { ...s!, childrenState: s!.childrenState.map((e) => [e.stateKey, e.sender, e.content]) },
      {
        roomId: space,
        name: 'Space',
        topic: 'Things',
        canonicalAlias: null,
        numJoinedMembers: 2,
        worldReadable: false,
        guestCanJoin: false,
        avatarUrl: null,
        joinRule: 'public',
        roomType: 'm.space',
        roomVersion: '11',
        encryption: null,
        allowedRoomIds: [],
        membership: 'join',
        childrenState: [
          ['!gone:elsewhere', ALICE, {}],
          [child, ALICE, { via: [SERVER], suggested: true }],
          [restricted, ALICE, { via: [SERVER], order: 'b' }],
        ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
      },
    );
    assert.equal(s!.childrenState.find((e) => e.stateKey === restricted)!.originServerTs, link!.event.origin_server_ts);
    assert.deepEqual(
      [c!.roomVersion, c!.encryption, c!.joinRule, c!.membership, c!.name, c!.childrenState, c!.allowedRoomIds],
      ['10', 'm.megolm.v1.aes-sha2', 'invite', null, 'Child', [], []],
    );
    assert.deepEqual([r!.roomVersion, r!.joinRule, r!.allowedRoomIds, r!.childrenState, r!.roomType], ['9', 'restricted', [space], [], null]);

    // Without a user, no membership.
    const anonymous = await api().queryRoomSummaries({ roomIds: [space] });
    assert.equal(anonymous.rooms[0]!.membership, null);
    assert.equal((await api().queryRoomSummaries({ roomIds: [space], userId: ALICE })).rooms[0]!.membership, 'join');
    assert.deepEqual(await api().queryRoomSummaries({ roomIds: [] }), { rooms: [] });
  });
});
