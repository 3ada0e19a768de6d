/**
 * The roomserver API, reading history: `queryEventVisibility` for users (every setting, joins
 * and leaves, own membership events, rejoining), anonymous readers and servers;
 * `queryEventByTimestamp` in both directions, skipping soft-failed and rejected events;
 * `performLeaveAllRooms`; guests joining; and the checks on local `m.room.server_acl` content.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../src/matrix/json.js';
import type { RoomEvent } from '../../src/matrix/room-event.js';
import type { InputRoomEvent, RoomserverAPI } from '../../src/roomserver/api.js';
import { createRoom, describeRoomserverApi, rejectsWith, REMOTE, remoteEvent, SERVER, uid } from './roomserver-api-kit.js';

const ALICE = uid('alice');
const BOB = uid('bob');
const CAROL = uid('carol');
const ROB = uid('rob', REMOTE);

const input = (ev: RoomEvent): InputRoomEvent => ({ kind: 'new', event: ev.json, roomVersion: ev.roomVersion.id, origin: REMOTE });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends one event; its ID. */
async function send(api: RoomserverAPI, roomId: string, sender: string, type: string, content: JsonObject, stateKey?: string): Promise<string> {
  const { eventIds } = await api.performSendEvents({ events: [{ roomId, type, sender, content, ...(stateKey !== undefined ? { stateKey } : {}) }] });
  return eventIds[0]!;
}
const msg = (api: RoomserverAPI, roomId: string, sender: string, body: string) => send(api, roomId, sender, 'm.room.message', { msgtype: 'm.text', body });
const member = (api: RoomserverAPI, roomId: string, sender: string, target: string, membership: string) =>
  send(api, roomId, sender, 'm.room.member', { membership }, target);
const history = (api: RoomserverAPI, roomId: string, setting: string) => send(api, roomId, ALICE, 'm.room.history_visibility', { history_visibility: setting }, '');

/** The visible ones of `ids` for a reader, as a list of booleans in order. */
async function sees(api: RoomserverAPI, ids: readonly string[], reader: { userId?: string; serverName?: string }): Promise<boolean[]> {
  const { events } = await api.queryEventVisibility({ eventIds: ids, ...reader });
  assert.deepEqual(events.map((e) => e.eventId), ids);
  return events.map((e) => e.visible);
}

describeRoomserverApi('roomserver API: history visibility and time', (api, env) => {
  it('users: shared history before a join, joined hides what came before, own membership events, leaving ends it', async () => {
    const { roomId, createId } = await createRoom(api(), '12', ALICE);
    const m0 = await msg(api(), roomId, ALICE, 'shared by default');
    const toJoined = await history(api(), roomId, 'joined');
    const m1 = await msg(api(), roomId, ALICE, 'before bob');
    const bobJoin = await member(api(), roomId, BOB, BOB, 'join');
    const m2 = await msg(api(), roomId, ALICE, 'with bob');
    const bobLeave = await member(api(), roomId, BOB, BOB, 'leave');
    const m3 = await msg(api(), roomId, ALICE, 'after bob');
    const ids = [createId, m0, toJoined, m1, bobJoin, m2, bobLeave, m3, '$unknown'];
    assert.deepEqual(await sees(api(), ids, { userId: ALICE }), [true, true, true, true, true, true, true, true, false]);
    // Shared events (and the change away from shared) are Bob's: he joined after them.
    assert.deepEqual(await sees(api(), ids, { userId: BOB }), [true, true, true, false, true, true, true, false, false]);
    assert.deepEqual(await sees(api(), ids, { userId: CAROL }), [false, false, false, false, false, false, false, false, false]);
    assert.deepEqual(await sees(api(), ids, {}), [false, false, false, false, false, false, false, false, false]);
  });

  it('world_readable events are anyone\'s, from the change to it until the change away', async () => {
    const { roomId } = await createRoom(api(), '12', ALICE);
    const before = await msg(api(), roomId, ALICE, 'shared');
    const toWorld = await history(api(), roomId, 'world_readable');
    const open = await msg(api(), roomId, ALICE, 'open');
    const toInvited = await history(api(), roomId, 'invited');
    const after = await msg(api(), roomId, ALICE, 'closed');
    const ids = [before, toWorld, open, toInvited, after];
    assert.deepEqual(await sees(api(), ids, {}), [false, true, true, true, false]);
    assert.deepEqual(await sees(api(), ids, { userId: CAROL }), [false, true, true, true, false]);
  });

  it('invited: events from the invite on; a rejected invite ends them', async () => {
    const { roomId } = await createRoom(api(), '12', ALICE, '', { joinRule: 'invite' });
    await history(api(), roomId, 'invited');
    const m1 = await msg(api(), roomId, ALICE, 'before the invite');
    const invite = await member(api(), roomId, ALICE, CAROL, 'invite');
    const m2 = await msg(api(), roomId, ALICE, 'while invited');
    const reject = await member(api(), roomId, CAROL, CAROL, 'leave');
    const m3 = await msg(api(), roomId, ALICE, 'after the rejection');
    assert.deepEqual(await sees(api(), [m1, invite, m2, reject, m3], { userId: CAROL }), [false, true, true, true, false]);
  });

  it('shared: a user who left sees what came later only once they join again', async () => {
    const { roomId } = await createRoom(api(), '12', ALICE);
    await member(api(), roomId, BOB, BOB, 'join');
    await member(api(), roomId, BOB, BOB, 'leave');
    const whileAway = await msg(api(), roomId, ALICE, 'while bob is away');
    assert.deepEqual(await sees(api(), [whileAway], { userId: BOB }), [false]);
    await member(api(), roomId, BOB, BOB, 'join');
    assert.deepEqual(await sees(api(), [whileAway], { userId: BOB }), [true]);
    await member(api(), roomId, BOB, BOB, 'leave');
    // Still true: he joined at a point after the event.
    assert.deepEqual(await sees(api(), [whileAway], { userId: BOB }), [true]);
  });

  it('servers: shared events to anyone, joined ones while one of their users was in; rejected and soft-failed events to nobody', async () => {
    const room = await createRoom(api(), '11', ALICE, `!visservers:${SERVER}`);
    const shared = await msg(api(), room.roomId, ALICE, 'shared');
    await history(api(), room.roomId, 'joined');
    const early = await msg(api(), room.roomId, ALICE, 'before rob');
    const join = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.member', stateKey: ROB, sender: ROB, content: { membership: 'join' } });
    assert.equal((await api().inputRoomEvents({ inputs: [input(join)] })).results[0]?.accepted, true);
    const late = await msg(api(), room.roomId, ALICE, 'with rob');
    assert.deepEqual(await sees(api(), [shared, early, join.eventId, late], { serverName: REMOTE }), [true, false, true, true]);
    assert.deepEqual(await sees(api(), [shared, early, join.eventId, late], { serverName: 'other.test' }), [true, false, false, false]);
    assert.deepEqual(await sees(api(), [shared, early, late], { serverName: SERVER }), [true, true, true]);

    // A rejected event (a sender not in the room) and a soft-failed one (sent before Rob saw his ban).
    const stranger = await remoteEvent(api(), room.roomId, env().remoteKey, { type: 'm.room.message', sender: uid('eve', REMOTE), content: { body: 'x' } });
    assert.equal((await api().inputRoomEvents({ inputs: [input(stranger)] })).results[0]?.accepted, false);
    const ban = await member(api(), room.roomId, ALICE, ROB, 'ban');
    await sleep(5);
    const soft = await remoteEvent(api(), room.roomId, env().remoteKey, {
      type: 'm.room.message',
      sender: ROB,
      content: { body: 'unseen ban' },
      prevEvents: [join.eventId],
      authEvents: [room.createId, room.powerId, join.eventId],
    });
    assert.deepEqual((await api().inputRoomEvents({ inputs: [input(soft)] })).results[0]?.softFailed, true);
    assert.deepEqual(await sees(api(), [stranger.eventId, soft.eventId, ban], { userId: ALICE }), [false, false, true]);

    // timestamp_to_event never lands on them.
    const banTs = (await api().queryEvents({ eventIds: [ban] })).events[0]!.event.origin_server_ts as number;
    assert.ok(soft.originServerTs > banTs);
    assert.deepEqual(await api().queryEventByTimestamp({ roomId: room.roomId, ts: soft.originServerTs, dir: 'f' }), { event: null });
    assert.deepEqual(await api().queryEventByTimestamp({ roomId: room.roomId, ts: soft.originServerTs, dir: 'b' }), { event: { eventId: ban, originServerTs: banTs } });
  });

  it('an event hidden from a member by history visibility cannot be reported by them', async () => {
    const { roomId } = await createRoom(api(), '12', ALICE);
    await history(api(), roomId, 'joined');
    const hidden = await msg(api(), roomId, ALICE, 'before bob');
    // Not Bob: the suite's rooms share one database, and performLeaveAllRooms counts Bob's rooms.
    const rita = uid('rita');
    await member(api(), roomId, rita, rita, 'join');
    const seen = await msg(api(), roomId, ALICE, 'with rita');
    const report = (eventId: string) => api().performReport({ kind: 'event', reporterId: rita, roomId, eventId, reason: 'spam' });
    await rejectsWith(report(hidden), 'M_NOT_FOUND');
    assert.equal(typeof (await report(seen)).reportId, 'number');
  });

  it('queryEventByTimestamp: the first event at or after, the last at or before, null past either end', async () => {
    const { roomId, createId } = await createRoom(api(), '12', ALICE);
    const ids: string[] = [];
    for (const body of ['one', 'two', 'three']) {
      await sleep(5);
      ids.push(await msg(api(), roomId, ALICE, body));
    }
    const { events } = await api().queryEvents({ eventIds: [createId, ...ids] });
    const [createTs, t1, t2, t3] = events.map((e) => e.event.origin_server_ts as number) as [number, number, number, number];
    assert.ok(t1 < t2 && t2 < t3);
    const at = (ts: number, dir: 'f' | 'b') => api().queryEventByTimestamp({ roomId, ts, dir });
    assert.deepEqual(await at(t2, 'f'), { event: { eventId: ids[1], originServerTs: t2 } });
    assert.deepEqual(await at(t2, 'b'), { event: { eventId: ids[1], originServerTs: t2 } });
    assert.deepEqual(await at(t2 - 1, 'b'), { event: { eventId: ids[0], originServerTs: t1 } });
    assert.deepEqual(await at(t2 + 1, 'f'), { event: { eventId: ids[2], originServerTs: t3 } });
    assert.deepEqual(await at(t3 + 1, 'f'), { event: null });
    assert.deepEqual(await at(createTs - 1, 'b'), { event: null });
    assert.equal((await at(0, 'f')).event?.eventId, createId);
    assert.deepEqual(await api().queryEventByTimestamp({ roomId: '!unknown:test.local', ts: 0, dir: 'f' }), { event: null });
  });

  it('performLeaveAllRooms leaves joined rooms, rejects invites, rescinds knocks, leaves bans alone', async () => {
    const joined = (await createRoom(api(), '12', ALICE)).roomId;
    const invited = (await createRoom(api(), '12', ALICE, '', { joinRule: 'invite' })).roomId;
    const knocked = (await createRoom(api(), '12', ALICE, '', { joinRule: 'knock' })).roomId;
    const banned = (await createRoom(api(), '12', ALICE)).roomId;
    await member(api(), joined, BOB, BOB, 'join');
    await member(api(), invited, ALICE, BOB, 'invite');
    await member(api(), knocked, BOB, BOB, 'knock');
    await member(api(), banned, ALICE, BOB, 'ban');
    const res = await api().performLeaveAllRooms({ userId: BOB });
    assert.deepEqual(res, { leftRoomIds: [joined, invited, knocked].sort(), failedRoomIds: [] });
    for (const roomId of [joined, invited, knocked]) assert.equal((await api().queryMembership({ roomId, userId: BOB })).membership, 'leave');
    assert.equal((await api().queryMembership({ roomId: banned, userId: BOB })).membership, 'ban');
    assert.deepEqual(await api().performLeaveAllRooms({ userId: BOB }), { leftRoomIds: [], failedRoomIds: [] });
  });

  it('guests join only rooms whose guest access is can_join', async () => {
    const { roomId } = await createRoom(api(), '12', ALICE);
    const guest = uid('12345');
    await rejectsWith(api().performJoin({ roomIdOrAlias: roomId, userId: guest, isGuest: true }), 'M_FORBIDDEN', /guest access/);
    await send(api(), roomId, ALICE, 'm.room.guest_access', { guest_access: 'forbidden' }, '');
    await rejectsWith(api().performJoin({ roomIdOrAlias: roomId, userId: guest, isGuest: true }), 'M_FORBIDDEN', /guest access/);
    await send(api(), roomId, ALICE, 'm.room.guest_access', { guest_access: 'can_join' }, '');
    const joined = await api().performJoin({ roomIdOrAlias: roomId, userId: guest, isGuest: true });
    assert.equal((await api().queryMembership({ roomId, userId: guest })).eventId, joined.eventId);
  });

  it('refuses malformed server ACLs and ACLs denying this server, accepts good ones', async () => {
    const { roomId } = await createRoom(api(), '12', ALICE);
    const acl = (content: JsonObject) => send(api(), roomId, ALICE, 'm.room.server_acl', content, '');
    await rejectsWith(acl({ allow: '*' }), 'M_BAD_JSON', /content\.allow must be an array/);
    await rejectsWith(acl({ allow: ['*'], deny: [1] }), 'M_BAD_JSON', /content\.deny\[0\]/);
    await rejectsWith(acl({ allow: ['*'], allow_ip_literals: 'yes' }), 'M_BAD_JSON', /allow_ip_literals/);
    await rejectsWith(acl({}), 'M_INVALID_PARAM', /deny this server \(test\.local\)/);
    await rejectsWith(acl({ allow: ['other.org'] }), 'M_INVALID_PARAM', /test\.local/);
    await rejectsWith(acl({ allow: ['*'], deny: ['TEST.local'] }), 'M_INVALID_PARAM', /test\.local/);
    const good = await acl({ allow: ['*.local'], deny: ['evil.org'], allow_ip_literals: false });
    const { events } = await api().queryState({ roomId, stateTuples: [['m.room.server_acl', '']] });
    assert.deepEqual(events.map((e) => [e.eventId, e.event.content]), [[good, { allow: ['*.local'], deny: ['evil.org'], allow_ip_literals: false }]]);
    // Another state key is not an ACL: not checked.
    await send(api(), roomId, ALICE, 'm.room.server_acl', { allow: 'whatever' }, 'x');
  });
});
