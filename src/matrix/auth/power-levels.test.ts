/** The power-level view: defaults, creators (100 without power levels; infinite in v12), parsing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOM_VERSIONS, roomVersion } from '../room-version.js';
import { parsePowerLevels, requiredPowerLevel, userPowerLevel } from './power-levels.js';
import { ALICE, BOB, CAROL, emptyRoom, MOD } from './test-events.js';

void describe('parsePowerLevels', () => {
  void it('fills in the spec defaults when there is no event', () => {
    const p = parsePowerLevels(undefined, roomVersion('11'));
    assert.deepEqual(
      {
        fromEvent: p.fromEvent,
        usersDefault: p.usersDefault,
        eventsDefault: p.eventsDefault,
        stateDefault: p.stateDefault,
        ban: p.ban,
        kick: p.kick,
        redact: p.redact,
        invite: p.invite,
        users: [...p.users],
        events: [...p.events],
        notifications: [...p.notifications],
      },
      {
        fromEvent: false,
        usersDefault: 0,
        eventsDefault: 0,
        stateDefault: 50,
        ban: 50,
        kick: 50,
        redact: 50,
        invite: 0,
        users: [],
        events: [],
        notifications: [['room', 50]],
      },
    );
  });

  void it('fills in the same defaults for an empty event', () => {
    const p = parsePowerLevels({}, roomVersion('11'));
    assert.equal(p.fromEvent, true);
    assert.deepEqual([p.usersDefault, p.eventsDefault, p.stateDefault, p.ban, p.kick, p.redact, p.invite], [0, 0, 50, 50, 50, 50, 0]);
  });

  void it('reads every field', () => {
    const p = parsePowerLevels(
      {
        users_default: 1,
        events_default: 2,
        state_default: 3,
        ban: 4,
        kick: 5,
        redact: 6,
        invite: 7,
        users: { [BOB]: 8 },
        events: { 'm.room.name': 9 },
        notifications: { room: 10, other: 11 },
      },
      roomVersion('11'),
    );
    assert.deepEqual([p.usersDefault, p.eventsDefault, p.stateDefault, p.ban, p.kick, p.redact, p.invite], [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual([...p.users], [[BOB, 8]]);
    assert.deepEqual([...p.events], [['m.room.name', 9]]);
    assert.deepEqual([...p.notifications], [['room', 10], ['other', 11]]);
  });

  void it('reads numeric strings in v1–v9 and ignores them (defaults apply) from v10', () => {
    const content = { ban: '10', users: { [BOB]: '20', [MOD]: 30 }, events: { x: '40' } };
    const old = parsePowerLevels(content, roomVersion('9'));
    assert.deepEqual([old.ban, [...old.users], [...old.events]], [10, [[BOB, 20], [MOD, 30]], [['x', 40]]]);
    const strict = parsePowerLevels(content, roomVersion('10'));
    assert.deepEqual([strict.ban, [...strict.users], [...strict.events]], [50, [[MOD, 30]], []]);
  });

  void it('ignores maps that are not objects', () => {
    const p = parsePowerLevels({ users: [1, 2], events: 'x' }, roomVersion('5'));
    assert.equal(p.users.size, 0);
    assert.equal(p.events.size, 0);
  });
});

void describe('userPowerLevel and requiredPowerLevel', () => {
  for (const rv of ROOM_VERSIONS.values()) {
    const creatorLevel = rv.privilegedCreators ? Infinity : 100;

    void it(`v${rv.id} without power levels: the creator has ${creatorLevel}, others 0; state needs 50, messages 0`, () => {
      const r = emptyRoom(rv);
      assert.equal(userPowerLevel(ALICE, r.lookup, rv), creatorLevel);
      assert.equal(userPowerLevel(BOB, r.lookup, rv), 0);
      assert.equal(requiredPowerLevel('m.room.topic', true, r.lookup, rv), 50);
      assert.equal(requiredPowerLevel('m.room.message', false, r.lookup, rv), 0);
    });

    void it(`v${rv.id} with power levels: users, then users_default; events, then the defaults`, () => {
      const r = emptyRoom(rv);
      r.setPowerLevels({
        users: { [BOB]: 30 },
        users_default: 5,
        events: { 'm.room.topic': 7, 'm.custom': 70 },
        state_default: 60,
        events_default: 6,
      });
      assert.equal(userPowerLevel(BOB, r.lookup, rv), 30);
      assert.equal(userPowerLevel(CAROL, r.lookup, rv), 5);
      // Before v12 the creator's 100 applies only when there is no power-levels event.
      assert.equal(userPowerLevel(ALICE, r.lookup, rv), rv.privilegedCreators ? Infinity : 5);
      assert.equal(requiredPowerLevel('m.room.topic', true, r.lookup, rv), 7);
      assert.equal(requiredPowerLevel('m.custom', false, r.lookup, rv), 70);
      assert.equal(requiredPowerLevel('m.room.name', true, r.lookup, rv), 60);
      assert.equal(requiredPowerLevel('m.room.message', false, r.lookup, rv), 6);
    });

    void it(`v${rv.id} additional_creators ${rv.privilegedCreators ? 'have infinite power' : 'mean nothing'}`, () => {
      const r = emptyRoom(rv, ALICE, { additional_creators: [BOB] });
      assert.equal(userPowerLevel(BOB, r.lookup, rv), rv.privilegedCreators ? Infinity : 0);
      r.setPowerLevels({ users: { [BOB]: 1 } });
      assert.equal(userPowerLevel(BOB, r.lookup, rv), rv.privilegedCreators ? Infinity : 1);
    });
  }

  void it('v1–v10: the creator is content.creator, not the sender; v11+: the sender', () => {
    for (const rv of ROOM_VERSIONS.values()) {
      const r = emptyRoom(rv, ALICE, { creator: BOB });
      const [alice, bob] = [userPowerLevel(ALICE, r.lookup, rv), userPowerLevel(BOB, r.lookup, rv)];
      if (rv.createHasCreator) assert.deepEqual([alice, bob], [0, 100], `v${rv.id}`);
      else assert.deepEqual([alice, bob], [rv.privilegedCreators ? Infinity : 100, 0], `v${rv.id}`);
    }
  });

  void it('the same power-levels event read under two versions gives each its own reading', () => {
    const r = emptyRoom(roomVersion('9'));
    r.setPowerLevels({ users: { [BOB]: '20' } });
    assert.equal(userPowerLevel(BOB, r.lookup, roomVersion('9')), 20);
    assert.equal(userPowerLevel(BOB, r.lookup, roomVersion('10')), 0);
    assert.equal(userPowerLevel(BOB, r.lookup, roomVersion('9')), 20);
  });

  void it('without a create event nobody is a creator', () => {
    const rv = roomVersion('12');
    assert.equal(userPowerLevel(ALICE, () => undefined, rv), 0);
    assert.equal(requiredPowerLevel('m.room.topic', true, () => undefined, rv), 50);
  });
});
