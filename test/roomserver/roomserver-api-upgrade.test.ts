/**
 * The roomserver API: performUpgradeRoom — v10 → v11 and v11 → v12 (creators), the state
 * transferred exactly, the tombstone and the old room's power levels, aliases and the directory
 * moved, the power-level raise and restore, and the refusals.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomserverAPI, StoredRoomEvent } from '../../src/roomserver/api.js';
import { describeRoomserverApi, rejectsWith, SERVER, uid } from './roomserver-api-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob');
const CAROL = uid('carol');
const DAVE = uid('dave');
const ERIN = uid('erin');

/** The types the upgrade copies, with the power levels. */
const COPIED = [
  'm.room.power_levels',
  'm.room.join_rules',
  'm.room.history_visibility',
  'm.room.guest_access',
  'm.room.name',
  'm.room.topic',
  'm.room.avatar',
  'm.room.encryption',
  'm.room.server_acl',
  'm.room.canonical_alias',
];

async function stateOf(api: RoomserverAPI, roomId: string): Promise<Map<string, StoredRoomEvent>> {
  const { events } = await api.queryState({ roomId });
  return new Map(events.map((e) => [`${e.event.type as string}|${e.event.state_key as string}`, e]));
}
const contentOf = (state: Map<string, StoredRoomEvent>, key: string): JsonObject | undefined => state.get(key)?.event.content as JsonObject | undefined;

describeRoomserverApi('roomserver API: room upgrades', (api) => {
  it('v10 → v11: copies the state exactly, bans, moves aliases and the directory entry, tombstones and restricts the old room', async () => {
    const { roomId: old } = await api().performCreateRoom({
      userId: ALICE,
      displayName: 'Alice',
      roomVersion: '10',
      preset: 'public_chat',
      visibility: 'public',
      roomAliasName: 'up10',
      name: 'Old name',
      topic: 'Old topic',
      creationContent: { type: 'org.example.kind' },
      initialState: [
        { type: 'm.room.avatar', content: { url: 'mxc://test.local/avatar' } },
        { type: 'm.room.encryption', content: { algorithm: 'm.megolm.v1.aes-sha2' } },
        { type: 'm.room.server_acl', content: { allow: ['*'], deny: ['evil.test'], allow_ip_literals: false } },
        { type: 'm.room.history_visibility', content: { history_visibility: 'world_readable' } },
        { type: 'org.example.custom', content: { not: 'copied' } },
      ],
    });
    await api().performSetRoomAlias({ alias: `#second10:${SERVER}`, roomId: old, userId: BOB });
    await api().performJoin({ roomIdOrAlias: old, userId: BOB });
    await api().performMembership({ action: 'ban', roomId: old, sender: ALICE, target: CAROL, reason: 'spam' });
    const before = await stateOf(api(), old);
    const [last] = (await api().queryRoomInfo({ roomId: old })).latestEventIds;

    const { replacementRoom } = await api().performUpgradeRoom({ roomId: old, userId: ALICE, newVersion: '11', additionalCreators: [BOB] });
    assert.notEqual(replacementRoom, old);
    assert.equal((await api().queryRoomInfo({ roomId: replacementRoom })).roomVersion, '11');

    const after = await stateOf(api(), replacementRoom);
    assert.deepEqual(
      [...after.keys()].sort(),
      ['m.room.create|', `m.room.member|${ALICE}`, `m.room.member|${CAROL}`, ...COPIED.map((t) => `${t}|`)].sort(),
    );
    const create = after.get('m.room.create|')!.event;
    assert.equal(create.sender, ALICE);
    // v11: no creator key; additional_creators ignored below v12.
    assert.deepEqual(create.content, { room_version: '11', predecessor: { room_id: old, event_id: last }, type: 'org.example.kind' });
    for (const t of COPIED.filter((x) => x !== 'm.room.canonical_alias')) assert.deepEqual(contentOf(after, `${t}|`), contentOf(before, `${t}|`), t);
    assert.deepEqual(contentOf(after, 'm.room.canonical_alias|'), { alias: `#up10:${SERVER}` });
    assert.deepEqual(contentOf(after, `m.room.member|${ALICE}`), { membership: 'join', displayname: 'Alice' });
    assert.deepEqual(contentOf(after, `m.room.member|${CAROL}`), { membership: 'ban', reason: 'spam' });

    const oldNow = await stateOf(api(), old);
    assert.deepEqual(contentOf(oldNow, 'm.room.tombstone|'), { body: 'This room has been replaced', replacement_room: replacementRoom });
    assert.equal(oldNow.get('m.room.tombstone|')!.event.sender, ALICE);
    const oldPower = contentOf(before, 'm.room.power_levels|')!;
    assert.equal(oldPower.events_default, 0);
    assert.deepEqual(contentOf(oldNow, 'm.room.power_levels|'), { ...oldPower, events_default: 50, invite: 50 });
    assert.deepEqual(contentOf(oldNow, 'm.room.canonical_alias|'), {});
    assert.deepEqual(contentOf(oldNow, 'org.example.custom|'), { not: 'copied' });

    assert.deepEqual(await api().queryRoomAlias({ alias: `#up10:${SERVER}` }), { roomId: replacementRoom });
    assert.deepEqual(await api().queryAliasesForRoom({ roomId: replacementRoom }), { aliases: [`#second10:${SERVER}`, `#up10:${SERVER}`] });
    assert.deepEqual(await api().queryAliasesForRoom({ roomId: old }), { aliases: [] });
    // Bob made #second10 and may still remove it: its creator moved with it.
    assert.deepEqual(await api().performRemoveRoomAlias({ alias: `#second10:${SERVER}`, userId: BOB }), { removed: true });
    assert.deepEqual(await api().queryRoomVisibility({ roomId: old }), { exists: true, visibility: 'private' });
    assert.deepEqual(await api().queryRoomVisibility({ roomId: replacementRoom }), { exists: true, visibility: 'public' });

    assert.deepEqual(await api().queryMembers({ roomId: replacementRoom }), { userIds: [ALICE] });
    assert.deepEqual(await api().queryMembers({ roomId: old }), { userIds: [ALICE, BOB].sort() });
    // The old room is now closed to ordinary members.
    await rejectsWith(
      api().performSendEvents({ events: [{ roomId: old, type: 'm.room.message', sender: BOB, content: { body: 'x' } }] }),
      'M_FORBIDDEN',
      /power_levels\/required_level/,
    );
  });

  it('v11 → v12: the upgrader and additional_creators are creators, absent from the power levels; the creators are invited', async () => {
    const { roomId: old } = await api().performCreateRoom({
      userId: ALICE,
      roomVersion: '11',
      preset: 'private_chat',
      invite: [BOB],
      powerLevelContentOverride: { users: { [ALICE]: 100, [BOB]: 100, [CAROL]: 20 } },
    });
    await api().performJoin({ roomIdOrAlias: old, userId: BOB });
    const oldPower = contentOf(await stateOf(api(), old), 'm.room.power_levels|')!;
    const [last] = (await api().queryRoomInfo({ roomId: old })).latestEventIds;
    const { replacementRoom } = await api().performUpgradeRoom({ roomId: old, userId: ALICE, newVersion: '12', additionalCreators: [BOB, ALICE] });
    const after = await stateOf(api(), replacementRoom);
    const create = after.get('m.room.create|')!;
    assert.equal(replacementRoom, `!${create.eventId.slice(1)}`);
    assert.equal(create.event.room_id, undefined);
    assert.deepEqual(create.event.content, { room_version: '12', predecessor: { room_id: old, event_id: last }, additional_creators: [BOB] });
    const power = contentOf(after, 'm.room.power_levels|')!;
    assert.deepEqual(power, { ...oldPower, users: { [CAROL]: 20 } });
    assert.deepEqual(await api().queryMembership({ roomId: replacementRoom, userId: BOB }), { membership: 'invite', eventId: after.get(`m.room.member|${BOB}`)!.eventId });
    // Bob, a creator of the new room, joins by his invite and has unlimited power there.
    await api().performJoin({ roomIdOrAlias: replacementRoom, userId: BOB });
    await api().performSendEvents({ events: [{ roomId: replacementRoom, type: 'm.room.power_levels', stateKey: '', sender: BOB, content: { ...power, users_default: 10 } }] });
    assert.deepEqual(contentOf(await stateOf(api(), old), 'm.room.tombstone|'), { body: 'This room has been replaced', replacement_room: replacementRoom });
  });

  it('raises a user below the needed level while copying, then restores the copied power levels; skips restricting the old room when it may not', async () => {
    const override = { users: { [ALICE]: 100, [DAVE]: 60 }, events: { 'm.room.tombstone': 60, 'm.room.server_acl': 100, 'm.room.power_levels': 100 } };
    const { roomId: old } = await api().performCreateRoom({ userId: ALICE, roomVersion: '11', preset: 'public_chat', powerLevelContentOverride: override });
    await api().performJoin({ roomIdOrAlias: old, userId: DAVE });
    const oldPower = contentOf(await stateOf(api(), old), 'm.room.power_levels|')!;
    const { replacementRoom } = await api().performUpgradeRoom({ roomId: old, userId: DAVE, newVersion: '11' });
    const after = await stateOf(api(), replacementRoom);
    assert.equal(after.get('m.room.create|')!.event.sender, DAVE);
    const finalPower = after.get('m.room.power_levels|')!;
    assert.deepEqual(finalPower.event.content, oldPower);
    // The power levels before the copy (its auth event) had Dave at 100, the highest level copying needs.
    const [raised] = (await api().queryEvents({ eventIds: (finalPower.event.auth_events as string[]).filter((id) => after.get('m.room.create|')!.eventId !== id) })).events.filter(
      (e) => e.event.type === 'm.room.power_levels',
    );
    assert.deepEqual(raised!.event.content, { ...oldPower, users: { [ALICE]: 100, [DAVE]: 100 } });
    // Dave (60) cannot change the old room's power levels (100): the tombstone is there, the levels unchanged.
    const oldNow = await stateOf(api(), old);
    assert.deepEqual(contentOf(oldNow, 'm.room.power_levels|'), oldPower);
    assert.equal(contentOf(oldNow, 'm.room.tombstone|')!.replacement_room, replacementRoom);
  });

  it('refuses members without the power to send m.room.tombstone, non-members, unknown rooms and versions', async () => {
    const { roomId: old } = await api().performCreateRoom({ userId: ALICE, roomVersion: '11', preset: 'public_chat' });
    await api().performJoin({ roomIdOrAlias: old, userId: ERIN });
    await rejectsWith(api().performUpgradeRoom({ roomId: old, userId: ERIN, newVersion: '12' }), 'M_FORBIDDEN', /power_levels\/required_level/);
    await rejectsWith(api().performUpgradeRoom({ roomId: old, userId: CAROL, newVersion: '12' }), 'M_FORBIDDEN', /sender_not_joined/);
    await rejectsWith(api().performUpgradeRoom({ roomId: old, userId: ALICE, newVersion: '99' }), 'M_UNSUPPORTED_ROOM_VERSION');
    await rejectsWith(api().performUpgradeRoom({ roomId: `!unknown:${SERVER}`, userId: ALICE, newVersion: '11' }), 'M_NOT_FOUND');
    await rejectsWith(api().performUpgradeRoom({ roomId: old, userId: ALICE, newVersion: '12', additionalCreators: ['nope'] }), 'M_BAD_JSON');
    // Nothing was sent: no tombstone, and Erin's attempt made no room.
    assert.equal(contentOf(await stateOf(api(), old), 'm.room.tombstone|'), undefined);
    assert.deepEqual(await api().queryRoomsForUser({ userId: ERIN, membership: 'join' }), { roomIds: [old] });
  });
});
