import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { roomVersion } from '../../matrix/room-version.js';
import type { ProtoEvent } from '../api.js';
import { planRoomUpgrade, restrictedPowerLevels, tombstoneContent, type OldStateEvent, type UpgradeRoomInput } from './upgrade-room-plan.js';

const A = '@a:hs';
const B = '@b:hs';
const C = '@c:hs';
const OLD = '!old:hs';
const NEW = '!new:hs';

const ev = (type: string, content: JsonObject, stateKey = '', sender = A): OldStateEvent => ({ type, stateKey, sender, content });
const keys = (events: ProtoEvent[]) => events.map((e) => `${e.type}|${e.stateKey ?? '-'}`);
const input = (over: Partial<UpgradeRoomInput>): UpgradeRoomInput => ({
  userId: A,
  oldRoomId: OLD,
  oldVersion: roomVersion('10'),
  newVersion: roomVersion('11'),
  lastEventId: '$last',
  oldState: [],
  ...over,
});

describe('planRoomUpgrade', () => {
  it('v10 → v11: predecessor, type and m.federate copied; state transferred in order; bans copied; no raise needed', () => {
    const power = { users: { [A]: 100, [B]: 50 }, state_default: 50, events: { 'm.room.tombstone': 100 } };
    const plan = planRoomUpgrade(
      input({
        oldState: [
          ev('m.room.create', { creator: A, room_version: '10', type: 'org.example.kind', 'm.federate': false, extra: 1 }),
          ev('m.room.power_levels', power),
          ev('m.room.member', { membership: 'join', displayname: 'Ay', avatar_url: 'mxc://hs/a', reason: 'x' }, A),
          ev('m.room.member', { membership: 'ban', reason: 'spam' }, '@z:hs'),
          ev('m.room.member', { membership: 'ban' }, '@y:hs'),
          ev('m.room.topic', { topic: 'T' }),
          ev('m.room.name', { name: 'N' }),
          ev('m.room.join_rules', { join_rule: 'knock' }),
          ev('m.room.canonical_alias', { alias: '#a:hs', alt_aliases: ['#b:hs'] }),
          ev('m.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' }),
          ev('m.space.child', { via: ['hs'] }, '!child:hs'),
          ev('org.example.custom', { a: 1 }),
        ],
      }),
    );
    assert.deepEqual(plan.createContent, { room_version: '11', predecessor: { room_id: OLD, event_id: '$last' }, type: 'org.example.kind', 'm.federate': false });
    const events = plan.events(NEW);
    assert.deepEqual(keys(events), [
      `m.room.member|${A}`,
      'm.room.power_levels|',
      'm.room.join_rules|',
      'm.room.name|',
      'm.room.topic|',
      'm.room.encryption|',
      'm.room.canonical_alias|',
      'm.room.member|@y:hs',
      'm.room.member|@z:hs',
    ]);
    assert.ok(events.every((e) => e.roomId === NEW && e.sender === A));
    assert.deepEqual(events[0]!.content, { membership: 'join', displayname: 'Ay', avatar_url: 'mxc://hs/a' });
    assert.deepEqual(events[1]!.content, power);
    assert.deepEqual(events[6]!.content, { alias: '#a:hs', alt_aliases: ['#b:hs'] });
    assert.deepEqual(events[7]!.content, { membership: 'ban' });
    assert.deepEqual(events[8]!.content, { membership: 'ban', reason: 'spam' });
  });

  it('v11 → v10 sets creator; additional_creators are ignored below v12; a space keeps its children', () => {
    const plan = planRoomUpgrade(
      input({
        oldVersion: roomVersion('11'),
        newVersion: roomVersion('10'),
        lastEventId: undefined,
        additionalCreators: [B],
        oldState: [ev('m.room.create', { room_version: '11', type: 'm.space' }), ev('m.space.child', { via: ['hs'] }, '!z:hs'), ev('m.space.child', { via: ['hs'] }, '!c:hs')],
      }),
    );
    assert.deepEqual(plan.createContent, { room_version: '10', creator: A, predecessor: { room_id: OLD }, type: 'm.space' });
    assert.deepEqual(keys(plan.events(NEW)), [`m.room.member|${A}`, 'm.space.child|!c:hs', 'm.space.child|!z:hs']);
  });

  it('v11 → v12: the upgrader and additional creators become creators, leave the power levels and are invited, not banned', () => {
    const power = { users: { [A]: 100, [B]: 50, [C]: 10 }, users_default: 0 };
    const plan = planRoomUpgrade(
      input({
        oldVersion: roomVersion('11'),
        newVersion: roomVersion('12'),
        additionalCreators: [B, A, B],
        oldState: [ev('m.room.create', { room_version: '11' }), ev('m.room.power_levels', power), ev('m.room.member', { membership: 'ban' }, B)],
      }),
    );
    assert.deepEqual(plan.createContent, { room_version: '12', predecessor: { room_id: OLD, event_id: '$last' }, additional_creators: [B] });
    const events = plan.events(NEW);
    assert.deepEqual(keys(events), [`m.room.member|${A}`, 'm.room.power_levels|', `m.room.member|${B}`]);
    assert.deepEqual(events[1]!.content, { users: { [C]: 10 }, users_default: 0 });
    assert.deepEqual(events[2]!.content, { membership: 'invite' });
  });

  it('refuses additional creators that are not user IDs', () => {
    assert.throws(
      () => planRoomUpgrade(input({ newVersion: roomVersion('12'), additionalCreators: ['not-a-user'] })),
      (e: unknown) => e instanceof MatrixError && e.errcode === 'M_BAD_JSON',
    );
  });

  it('raises a user whose level is below what copying needs, then restores the copied power levels last', () => {
    const power = { users: { [A]: 60 }, state_default: 50, ban: 70, events: { 'm.room.tombstone': 60, 'm.room.server_acl': 90 } };
    const events = planRoomUpgrade(input({ oldState: [ev('m.room.power_levels', power), ev('m.room.name', { name: 'N' })] })).events(NEW);
    assert.deepEqual(keys(events), [`m.room.member|${A}`, 'm.room.power_levels|', 'm.room.name|', 'm.room.power_levels|']);
    assert.deepEqual(events[1]!.content, { ...power, users: { [A]: 90 } });
    assert.deepEqual(events[3]!.content, power);
  });

  it('v12 → v11: a creator of the old room keeps their power as level 100; a non-creator does not', () => {
    const state = [ev('m.room.create', { room_version: '12', additional_creators: [B] }, '', C), ev('m.room.power_levels', { users: { '@m:hs': 50 } })];
    const asB = planRoomUpgrade(input({ userId: B, oldVersion: roomVersion('12'), newVersion: roomVersion('11'), oldState: state })).events(NEW);
    assert.deepEqual(keys(asB), [`m.room.member|${B}`, 'm.room.power_levels|']);
    assert.deepEqual(asB[1]!.content, { users: { '@m:hs': 50, [B]: 100 } });
    const asM = planRoomUpgrade(input({ userId: '@m:hs', oldVersion: roomVersion('12'), newVersion: roomVersion('11'), oldState: state })).events(NEW);
    assert.deepEqual(asM[1]!.content, { users: { '@m:hs': 50 } });
  });

  it('turns numeric-string and float levels into integers (refused from v10 and v6)', () => {
    const power = { users: { [A]: '100' }, ban: '50', kick: 50.5, events: { 'm.room.name': '+20' }, notifications: { room: '50' }, users_default: 'x' };
    const events = planRoomUpgrade(input({ oldVersion: roomVersion('9'), oldState: [ev('m.room.power_levels', power)] })).events(NEW);
    assert.deepEqual(events[1]!.content, { users: { [A]: 100 }, ban: 50, kick: 50, events: { 'm.room.name': 20 }, notifications: { room: 50 }, users_default: 'x' });
  });
});

describe('restrictedPowerLevels and tombstoneContent', () => {
  it('raises events_default and invite to max(50, users_default + 1), keeping everything else', () => {
    assert.deepEqual(restrictedPowerLevels({ users: { [A]: 100 }, invite: 0 }), { users: { [A]: 100 }, invite: 50, events_default: 50 });
    assert.deepEqual(restrictedPowerLevels({ users_default: 70, events_default: 80, invite: 10 }), { users_default: 70, events_default: 80, invite: 71 });
    assert.equal(restrictedPowerLevels({ events_default: 50, invite: 100 }), null);
  });

  it('names the replacement room', () => {
    assert.deepEqual(tombstoneContent(NEW), { body: 'This room has been replaced', replacement_room: NEW });
  });
});
