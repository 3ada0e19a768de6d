/**
 * The roomserver API: performKnock and a knock's life (rescind, accept by invite, refuse by kick
 * or ban), refusals naming the auth rule, and the stripped state local invites and knocks carry
 * in `unsigned` (also in the `new_room_event` output), which leaves their IDs and signatures valid.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { checkContentHash } from '../../src/matrix/content-hash.js';
import type { JsonObject } from '../../src/matrix/json.js';
import { parseEvent } from '../../src/matrix/parse-event.js';
import { roomVersion } from '../../src/matrix/room-version.js';
import { verifyEventSignature } from '../../src/matrix/verify-event.js';
import type { RoomserverAPI } from '../../src/roomserver/api.js';
import { describeRoomserverApi, LOCAL_KEY, rejectsWith, SERVER, uid } from './roomserver-api-kit.js';

const ALICE = uid('alice');

/** A room of `version` whose join rule is `joinRule`, made by Alice with a name and an alias. */
async function roomWithRule(api: RoomserverAPI, version: string, joinRule: string, aliasName?: string): Promise<string> {
  const { roomId } = await api.performCreateRoom({
    userId: ALICE,
    roomVersion: version,
    preset: 'public_chat',
    name: `Knock ${version} ${joinRule}`,
    ...(aliasName !== undefined ? { roomAliasName: aliasName } : {}),
    initialState: [{ type: 'm.room.join_rules', content: { join_rule: joinRule } }],
  });
  return roomId;
}

async function eventJson(api: RoomserverAPI, eventId: string): Promise<JsonObject> {
  const [e] = (await api.queryEvents({ eventIds: [eventId] })).events;
  assert.ok(e, `event ${eventId} not stored`);
  return e.event;
}

describeRoomserverApi('roomserver API: knocking and stripped state', (api, env) => {
  for (const [version, rule] of [['7', 'knock'], ['11', 'knock'], ['10', 'knock_restricted'], ['12', 'knock']] as const) {
    it(`v${version}: a ${rule} room takes knocks by room ID or alias; the knock carries knock_room_state`, async () => {
      const bob = uid(`bob${version}`);
      const roomId = await roomWithRule(api(), version, rule, `knock${version}`);
      const byAlias = await api().performKnock({ roomIdOrAlias: `#knock${version}:${SERVER}`, userId: bob, reason: 'let me in', content: { displayname: 'Bob' }, serverNames: ['ignored.test'] });
      assert.equal(byAlias.roomId, roomId);
      assert.deepEqual(await api().queryMembership({ roomId, userId: bob }), { membership: 'knock', eventId: byAlias.eventId });
      assert.deepEqual(await api().queryRoomsForUser({ userId: bob, membership: 'knock' }), { roomIds: [roomId] });
      assert.deepEqual(await api().queryRoomsForUser({ userId: bob, membership: 'join' }), { roomIds: [] });

      const json = await eventJson(api(), byAlias.eventId);
      assert.deepEqual(json.content, { displayname: 'Bob', membership: 'knock', reason: 'let me in' });
      const create = (await api().queryState({ roomId, stateTuples: [['m.room.create', '']] })).events[0]!.event;
      assert.deepEqual(json.unsigned, {
        knock_room_state: [
          { type: 'm.room.create', state_key: '', sender: ALICE, content: create.content },
          { type: 'm.room.name', state_key: '', sender: ALICE, content: { name: `Knock ${version} ${rule}` } },
          { type: 'm.room.join_rules', state_key: '', sender: ALICE, content: { join_rule: rule } },
          { type: 'm.room.canonical_alias', state_key: '', sender: ALICE, content: { alias: `#knock${version}:${SERVER}` } },
        ],
      });
      // A second knock while knocking is allowed (re-knocking), by room ID.
      const again = await api().performKnock({ roomIdOrAlias: roomId, userId: bob });
      assert.deepEqual(again.roomId, roomId);
      assert.notEqual(again.eventId, byAlias.eventId);
    });
  }

  it('refuses knocks naming the rule: v6 has no knocking; public and invite rooms take none; members, invitees and banned users cannot', async () => {
    const v6 = await roomWithRule(api(), '6', 'knock');
    await rejectsWith(api().performKnock({ roomIdOrAlias: v6, userId: uid('k1') }), 'M_FORBIDDEN', /m\.room\.member\/unknown_membership/);
    const v9 = await roomWithRule(api(), '9', 'knock_restricted');
    await rejectsWith(api().performKnock({ roomIdOrAlias: v9, userId: uid('k1') }), 'M_FORBIDDEN', /m\.room\.member\/knock\/join_rule/);
    for (const rule of ['public', 'invite']) {
      const roomId = await roomWithRule(api(), '11', rule);
      await rejectsWith(api().performKnock({ roomIdOrAlias: roomId, userId: uid('k1') }), 'M_FORBIDDEN', /m\.room\.member\/knock\/join_rule/);
    }
    const roomId = await roomWithRule(api(), '11', 'knock');
    await rejectsWith(api().performKnock({ roomIdOrAlias: roomId, userId: ALICE }), 'M_FORBIDDEN', /m\.room\.member\/knock\/membership/);
    await api().performMembership({ action: 'invite', roomId, sender: ALICE, target: uid('k2') });
    await rejectsWith(api().performKnock({ roomIdOrAlias: roomId, userId: uid('k2') }), 'M_FORBIDDEN', /m\.room\.member\/knock\/membership/);
    await api().performMembership({ action: 'ban', roomId, sender: ALICE, target: uid('k3') });
    await rejectsWith(api().performKnock({ roomIdOrAlias: roomId, userId: uid('k3') }), 'M_FORBIDDEN', /m\.room\.member\/knock\/membership/);
    await rejectsWith(api().performKnock({ roomIdOrAlias: `!unknown:${SERVER}`, userId: uid('k1') }), 'M_NOT_FOUND');
    await rejectsWith(api().performKnock({ roomIdOrAlias: '!remote:elsewhere.test', userId: uid('k1') }), 'M_NOT_FOUND');
    await rejectsWith(api().performKnock({ roomIdOrAlias: '#room:elsewhere.test', userId: uid('k1') }), 'M_NOT_FOUND');
    await rejectsWith(api().performKnock({ roomIdOrAlias: 'nonsense', userId: uid('k1') }), 'M_INVALID_PARAM');
  });

  it('a knock is rescinded by leaving, accepted by an invite, refused by a kick or a ban', async () => {
    const roomId = await roomWithRule(api(), '11', 'knock');
    const [rescinder, accepted, kicked, banned] = ['r', 'a', 'k', 'b'].map((n) => uid(`life-${n}`)) as [string, string, string, string];
    for (const u of [rescinder, accepted, kicked, banned]) await api().performKnock({ roomIdOrAlias: roomId, userId: u });
    assert.deepEqual(await api().queryMembers({ roomId, membership: 'knock' }), { userIds: [rescinder, accepted, kicked, banned].sort() });

    await api().performMembership({ action: 'leave', roomId, sender: rescinder, target: rescinder });
    assert.equal((await api().queryMembership({ roomId, userId: rescinder })).membership, 'leave');
    await api().performKnock({ roomIdOrAlias: roomId, userId: rescinder });

    await api().performMembership({ action: 'invite', roomId, sender: ALICE, target: accepted });
    assert.equal((await api().queryMembership({ roomId, userId: accepted })).membership, 'invite');
    await api().performJoin({ roomIdOrAlias: roomId, userId: accepted });
    assert.deepEqual(await api().queryRoomsForUser({ userId: accepted, membership: 'join' }), { roomIds: [roomId] });
    assert.deepEqual(await api().queryRoomsForUser({ userId: accepted, membership: 'knock' }), { roomIds: [] });
    // A member without the power to invite cannot accept a knock.
    await rejectsWith(api().performMembership({ action: 'invite', roomId, sender: accepted, target: kicked }), 'M_FORBIDDEN', /m\.room\.member\/invite\/power/);

    await api().performMembership({ action: 'kick', roomId, sender: ALICE, target: kicked, reason: 'no' });
    assert.equal((await api().queryMembership({ roomId, userId: kicked })).membership, 'leave');
    await api().performMembership({ action: 'ban', roomId, sender: ALICE, target: banned });
    assert.equal((await api().queryMembership({ roomId, userId: banned })).membership, 'ban');
    assert.deepEqual(await api().queryMembers({ roomId, membership: 'knock' }), { userIds: [rescinder] });
  });

  it('local invites carry invite_room_state (with the inviter) in the stored event and the output, and stay valid', async () => {
    const { roomId } = await api().performCreateRoom({
      userId: ALICE,
      displayName: 'Alice',
      roomVersion: '11',
      preset: 'private_chat',
      name: 'Secret',
      topic: 'Plans',
      creationContent: { type: 'm.space' },
      initialState: [
        { type: 'm.room.avatar', content: { url: 'mxc://test.local/a' } },
        { type: 'm.room.encryption', content: { algorithm: 'm.megolm.v1.aes-sha2' } },
        { type: 'm.room.custom', content: { not: 'stripped' } },
      ],
      invite: [uid('inv1')],
    });
    const { eventId } = await api().performMembership({ action: 'invite', roomId, sender: ALICE, target: uid('inv2'), content: { is_direct: true } });
    const json = await eventJson(api(), eventId);
    const create = await eventJson(api(), (await api().queryState({ roomId, stateTuples: [['m.room.create', '']] })).events[0]!.eventId);
    const expected = [
      { type: 'm.room.create', state_key: '', sender: ALICE, content: { ...(create.content as JsonObject) } },
      { type: 'm.room.name', state_key: '', sender: ALICE, content: { name: 'Secret' } },
      { type: 'm.room.avatar', state_key: '', sender: ALICE, content: { url: 'mxc://test.local/a' } },
      { type: 'm.room.topic', state_key: '', sender: ALICE, content: { topic: 'Plans', 'm.topic': { 'm.text': [{ body: 'Plans', mimetype: 'text/plain' }] } } },
      { type: 'm.room.join_rules', state_key: '', sender: ALICE, content: { join_rule: 'invite' } },
      { type: 'm.room.encryption', state_key: '', sender: ALICE, content: { algorithm: 'm.megolm.v1.aes-sha2' } },
      { type: 'm.room.member', state_key: ALICE, sender: ALICE, content: { membership: 'join', displayname: 'Alice' } },
    ];
    assert.deepEqual((create.content as JsonObject).type, 'm.space');
    assert.deepEqual(json.unsigned, { invite_room_state: expected });
    // createRoom sends its invites after the name, topic and initial state: the same stripped state.
    const first = (await api().queryMembership({ roomId, userId: uid('inv1') })).eventId!;
    assert.deepEqual(((await eventJson(api(), first)).unsigned as JsonObject).invite_room_state, expected);

    // unsigned is covered by neither hashes nor signatures: the event ID, content hash and signature still hold.
    const rv = roomVersion('11');
    assert.equal(parseEvent(json, rv).eventId, eventId);
    assert.equal(checkContentHash(json, rv), true);
    assert.deepEqual(verifyEventSignature(json, rv, SERVER, LOCAL_KEY.keyId, LOCAL_KEY.publicKeyBase64), { ok: true });

    await env().waitForPublished((msgs) => msgs.some((m) => m.type === 'new_room_event' && m.eventId === eventId));
    const out = env().published.find((m) => m.type === 'new_room_event' && m.eventId === eventId);
    assert.ok(out?.type === 'new_room_event');
    assert.deepEqual((out.event.unsigned as JsonObject).invite_room_state, expected);

    // Other membership changes carry nothing.
    await api().performJoin({ roomIdOrAlias: roomId, userId: uid('inv2') });
    const join = await eventJson(api(), (await api().queryMembership({ roomId, userId: uid('inv2') })).eventId!);
    assert.equal(join.unsigned, undefined);
  });
});
