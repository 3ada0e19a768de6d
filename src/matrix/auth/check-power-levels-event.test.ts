/** The `m.room.power_levels` rule: content validation and what a sender may change, per version. */
import type { JsonObject, JsonValue } from '../json.js';
import type { RoomVersion } from '../room-version.js';
import { NAMED_LEVELS } from './power-levels.js';
import type { AuthScenario, Expectation } from './test-auth-scenarios.js';
import { allowedBy, deniedBy, runAuthScenarios } from './test-auth-scenarios.js';
import type { TestRoom } from './test-events.js';
import { ALICE, BOB, emptyRoom, MOD } from './test-events.js';

const P = 'power_levels';
const ALLOW = allowedBy(`${P}/allow`);
const MOD2 = '@mod2:b.example';
const MAX = 9007199254740991;

/** ALICE at 100 (only before v12: creators may not be listed), MOD and MOD2 at 50, BOB at 10. */
function baseUsers(rv: RoomVersion): JsonObject {
  return { ...(rv.privilegedCreators ? {} : { [ALICE]: 100 }), [MOD]: 50, [MOD2]: 50, [BOB]: 10 };
}

/** The current power levels for the change rows; MOD (50) may send power-levels events. */
function baseContent(rv: RoomVersion): JsonObject {
  return {
    users: baseUsers(rv),
    events: { 'm.room.power_levels': 50, 'm.room.name': 50, 'm.room.tombstone': 100 },
    notifications: { room: 50 },
    invite: 70,
    redact: 70,
  };
}

/** `sender` replaces the power levels with `edit(current content)`. */
function change(r: TestRoom, sender: string, edit: (c: JsonObject) => JsonObject, current?: JsonObject) {
  const before = current ?? baseContent(r.rv);
  r.setPowerLevels(before);
  r.setMember(MOD2, 'join');
  return r.event({ type: 'm.room.power_levels', sender, stateKey: '', content: edit(structuredClone(before)) });
}

/** A row where MOD edits the standard content. */
function modEdits(name: string, edit: (c: JsonObject) => JsonObject, expect: AuthScenario['expect']): AuthScenario {
  return { name, build: (r) => change(r, MOD, edit), expect };
}

const users = (c: JsonObject): JsonObject => c.users as JsonObject;
const events = (c: JsonObject): JsonObject => c.events as JsonObject;
/** An edit setting `events[type]`. */
const setEvent = (type: string, level: number) => (c: JsonObject): JsonObject => ({ ...c, events: { ...events(c), [type]: level } });
/** An edit setting `users[user]`. */
const setUser = (user: string, level: number) => (c: JsonObject): JsonObject => ({ ...c, users: { ...users(c), [user]: level } });
const from = (version: (rv: RoomVersion) => boolean, yes: Expectation, no: Expectation) => (rv: RoomVersion) =>
  version(rv) ? yes : no;
const v10 = (rv: RoomVersion): boolean => rv.integerOnlyPowerLevels;

/** ALICE (the creator) sets `content` over the standard levels: only validation can refuse her. */
function aliceSets(name: string, content: (rv: RoomVersion) => JsonObject, expect: AuthScenario['expect']): AuthScenario {
  return { name, build: (r) => change(r, ALICE, () => content(r.rv)), expect };
}
const withUsers = (extra: JsonObject) => (rv: RoomVersion): JsonObject => ({ ...baseContent(rv), users: { ...baseUsers(rv), ...extra } });
const withLevel = (key: string, v: JsonValue) => (rv: RoomVersion): JsonObject => ({ ...baseContent(rv), [key]: v });

const validation: AuthScenario[] = [
  ...NAMED_LEVELS.map((key) =>
    aliceSets(`${key} as a numeric string`, withLevel(key, '20'), from(v10, deniedBy(`${P}/invalid_level`), ALLOW)),
  ),
  aliceSets('a level that is null', withLevel('ban', null), from(v10, deniedBy(`${P}/invalid_level`), ALLOW)),
  aliceSets('a level that is an object', withLevel('kick', { x: 1 }), from(v10, deniedBy(`${P}/invalid_level`), ALLOW)),
  aliceSets('a level that is a float', withLevel('kick', 20.5), from(v10, deniedBy(`${P}/invalid_level`), ALLOW)),
  aliceSets('a level that is a non-numeric string', withLevel('kick', 'lots'), from(v10, deniedBy(`${P}/invalid_level`), ALLOW)),
  aliceSets('events with a string value', withLevel('events', { 'm.room.name': '50' }), from(v10, deniedBy(`${P}/invalid_map`), ALLOW)),
  aliceSets('events that is an array', withLevel('events', [50]), from(v10, deniedBy(`${P}/invalid_map`), ALLOW)),
  aliceSets('notifications with a string value', withLevel('notifications', { room: '50' }), from(v10, deniedBy(`${P}/invalid_map`), ALLOW)),
  aliceSets('notifications that is a number', withLevel('notifications', 50), from(v10, deniedBy(`${P}/invalid_map`), ALLOW)),
  aliceSets('users that is not an object', withLevel('users', 'everyone'), deniedBy(`${P}/invalid_users`)),
  aliceSets('users that is an array', withLevel('users', [MOD]), deniedBy(`${P}/invalid_users`)),
  aliceSets('a users key that is not a user ID', withUsers({ bob: 10 }), deniedBy(`${P}/invalid_users`)),
  aliceSets('a users key without a server', withUsers({ '@bob': 10 }), deniedBy(`${P}/invalid_users`)),
  aliceSets('a users key that is a room ID', withUsers({ '!room:a.example': 10 }), deniedBy(`${P}/invalid_users`)),
  aliceSets('a historical user ID as a users key', withUsers({ '@Bob Smith:b.example': 10 }), ALLOW),
  aliceSets('a users value as a numeric string', withUsers({ [BOB]: ' 010 ' }), from(v10, deniedBy(`${P}/invalid_users`), ALLOW)),
  aliceSets('a users value as a negative numeric string', withUsers({ [BOB]: '-5' }), from(v10, deniedBy(`${P}/invalid_users`), ALLOW)),
  aliceSets('a users value that is not numeric', withUsers({ [BOB]: 'ten' }), deniedBy(`${P}/invalid_users`)),
  aliceSets('a users value with a decimal point in a string', withUsers({ [BOB]: '10.5' }), deniedBy(`${P}/invalid_users`)),
  aliceSets('a users value that is null', withUsers({ [BOB]: null }), deniedBy(`${P}/invalid_users`)),
  aliceSets(
    'a users value that is a float (valid, truncated, in v1–v5 only)',
    withUsers({ [BOB]: 10.5 }),
    (rv) => (rv.strictCanonicalJson ? deniedBy(`${P}/invalid_users`) : ALLOW),
  ),
  // Everyone listed is below ALICE, and her own entry is hers to drop.
  aliceSets('no users at all', (rv) => {
    const { users: _u, ...rest } = baseContent(rv);
    return rest;
  }, ALLOW),
  aliceSets(
    'the creator listed in users',
    withUsers({ [ALICE]: 100 }),
    (rv) => (rv.privilegedCreators ? deniedBy(`${P}/creator_in_users`) : ALLOW),
  ),
  {
    name: 'an additional creator listed in users',
    base: (rv) => {
      const r = emptyRoom(rv, ALICE, { additional_creators: [BOB] });
      r.setMember(ALICE, 'join');
      return r;
    },
    build: (r) => r.event({ type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: { users: { [BOB]: 50 } } }),
    expect: (rv) => (rv.privilegedCreators ? deniedBy(`${P}/creator_in_users`) : allowedBy(`${P}/initial`)),
  },
  {
    name: 'v12: a creator cannot be listed even by an initial power-levels event',
    only: (rv) => rv.privilegedCreators,
    base: 'empty',
    build: (r) => {
      r.setMember(ALICE, 'join');
      return r.event({ type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: { users: { [ALICE]: 100 } } });
    },
    expect: deniedBy(`${P}/creator_in_users`),
  },
];

const initial: AuthScenario[] = [
  {
    name: 'the first power-levels event may set anything',
    base: 'empty',
    build: (r) => {
      r.setMember(ALICE, 'join');
      return r.event({
        type: 'm.room.power_levels',
        sender: ALICE,
        stateKey: '',
        content: { users: { [BOB]: MAX }, ban: MAX, events: { x: MAX }, notifications: { room: MAX } },
      });
    },
    expect: allowedBy(`${P}/initial`),
  },
  {
    name: 'the first power-levels event still needs state_default (50) from its sender',
    base: 'empty',
    build: (r) => {
      r.setMember(BOB, 'join');
      return r.event({ type: 'm.room.power_levels', sender: BOB, stateKey: '', content: { users: { [BOB]: 100 } } });
    },
    expect: deniedBy(`${P}/required_level`),
  },
];

const named: AuthScenario[] = [
  ...NAMED_LEVELS.map(
    (key): AuthScenario => ({
      name: `raising ${key} above your own level`,
      build: (r) => {
        const { invite: _i, redact: _r, ...current } = baseContent(r.rv);
        return change(r, MOD, (c) => ({ ...c, [key]: 51 }), current);
      },
      expect: deniedBy(`${P}/level_new_above_own`),
    }),
  ),
  ...NAMED_LEVELS.filter((k) => k !== 'invite' && k !== 'redact').map((key) =>
    modEdits(`setting ${key} to your own level`, (c) => ({ ...c, [key]: 50 }), ALLOW),
  ),
  modEdits('lowering a level that is above yours', (c) => ({ ...c, invite: 0 }), deniedBy(`${P}/level_current_above_own`)),
  modEdits('removing a level that is above yours', (c) => {
    const { redact: _r, ...rest } = c;
    return rest;
  }, deniedBy(`${P}/level_current_above_own`)),
  modEdits('keeping a level that is above yours unchanged', setUser(BOB, 0), ALLOW),
  {
    name: 'removing a level at or below yours',
    build: (r) =>
      change(r, MOD, (c) => ({ ...c, ban: 0 }), { ...baseContent(r.rv), ban: 40 }),
    expect: ALLOW,
  },
  {
    name: 'a numeric string and the same integer are no change before v10',
    only: (rv) => !rv.integerOnlyPowerLevels,
    build: (r) => change(r, MOD, (c) => ({ ...c, invite: 70 }), { ...baseContent(r.rv), invite: '70' }),
    expect: ALLOW,
  },
  modEdits(
    'named levels are checked before events',
    (c) => ({ ...c, kick: 60, events: { ...events(c), 'm.custom': 60 } }),
    deniedBy(`${P}/level_new_above_own`),
  ),
];

const eventMaps: AuthScenario[] = [
  modEdits('adding an event level above your own', setEvent('m.custom', 60), deniedBy(`${P}/events_new_above_own`)),
  modEdits('adding an event level at your own', setEvent('m.custom', 50), ALLOW),
  modEdits('lowering an event level you have', setEvent('m.room.name', 0), ALLOW),
  modEdits('raising an event level you have above your own', setEvent('m.room.name', 51), deniedBy(`${P}/events_new_above_own`)),
  modEdits('lowering an event level above yours', setEvent('m.room.tombstone', 50), deniedBy(`${P}/events_current_above_own`)),
  modEdits('removing an event level above yours', (c) => {
    const { 'm.room.tombstone': _t, ...rest } = events(c);
    return { ...c, events: rest };
  }, deniedBy(`${P}/events_current_above_own`)),
  modEdits('removing the whole events map with a level above yours', (c) => {
    const { events: _e, ...rest } = c;
    return rest;
  }, deniedBy(`${P}/events_current_above_own`)),
  modEdits(
    'notifications: raising room above your own',
    (c) => ({ ...c, notifications: { room: 60 } }),
    (rv) => (rv.notificationsPowerLevels ? deniedBy(`${P}/notifications_new_above_own`) : ALLOW),
  ),
  modEdits('notifications: adding a key at your level', (c) => ({ ...c, notifications: { room: 50, custom: 50 } }), ALLOW),
  {
    name: 'notifications: lowering a level above yours',
    build: (r) => change(r, MOD, (c) => ({ ...c, notifications: { room: 0 } }), { ...baseContent(r.rv), notifications: { room: 100 } }),
    expect: (rv) => (rv.notificationsPowerLevels ? deniedBy(`${P}/notifications_current_above_own`) : ALLOW),
  },
  {
    name: 'notifications: removing a level above yours',
    build: (r) => change(r, MOD, (c) => ({ ...c, notifications: {} }), { ...baseContent(r.rv), notifications: { room: 100 } }),
    expect: (rv) => (rv.notificationsPowerLevels ? deniedBy(`${P}/notifications_current_above_own`) : ALLOW),
  },
];

const userEntries: AuthScenario[] = [
  modEdits('giving a user your own level', setUser(BOB, 50), ALLOW),
  modEdits('giving a user more than your level', setUser(BOB, 51), deniedBy(`${P}/raise_above_own`)),
  modEdits('adding a new user above your level', setUser('@new:n.example', 51), deniedBy(`${P}/raise_above_own`)),
  modEdits('lowering a user below you', setUser(BOB, 0), ALLOW),
  modEdits('removing a user below you', (c) => {
    const { [BOB]: _b, ...rest } = users(c);
    return { ...c, users: rest };
  }, ALLOW),
  modEdits('lowering a user at your own level', setUser(MOD2, 0), deniedBy(`${P}/user_current_not_below_own`)),
  modEdits('removing a user at your own level', (c) => {
    const { [MOD2]: _m, ...rest } = users(c);
    return { ...c, users: rest };
  }, deniedBy(`${P}/user_current_not_below_own`)),
  modEdits('lowering yourself', setUser(MOD, 10), ALLOW),
  modEdits('removing yourself', (c) => {
    const { [MOD]: _m, ...rest } = users(c);
    return { ...c, users: rest };
  }, ALLOW),
  modEdits('raising yourself', setUser(MOD, 51), deniedBy(`${P}/raise_above_own`)),
  {
    name: 'demoting the creator (v1–v11, where the creator is listed at 100)',
    only: (rv) => !rv.privilegedCreators,
    build: (r) => change(r, MOD, setUser(ALICE, 0)),
    expect: deniedBy(`${P}/user_current_not_below_own`),
  },
  {
    name: 'the creator demotes a moderator',
    build: (r) => change(r, ALICE, setUser(MOD, 0)),
    expect: ALLOW,
  },
  {
    name: 'the creator grants a level (100 before v12; any level in v12)',
    build: (r) => change(r, ALICE, (c) => ({ ...c, users: { ...users(c), [BOB]: r.rv.privilegedCreators ? MAX : 100 } })),
    expect: ALLOW,
  },
  {
    name: 'the creator grants more than 100 (v1–v11) / anything (v12)',
    build: (r) => change(r, ALICE, setUser(BOB, 101)),
    expect: (rv) => (rv.privilegedCreators ? ALLOW : deniedBy(`${P}/raise_above_own`)),
  },
  {
    name: 'v12: a moderator at the maximum level still cannot list the creator',
    only: (rv) => rv.privilegedCreators,
    build: (r) =>
      change(r, MOD, setUser(ALICE, 0), { ...baseContent(r.rv), users: { [MOD]: MAX, [MOD2]: 50 } }),
    expect: deniedBy(`${P}/creator_in_users`),
  },
  {
    name: 'v12: a moderator at 100 cannot demote another at 100',
    only: (rv) => rv.privilegedCreators,
    build: (r) =>
      change(r, MOD, (c) => ({ ...c, users: { [MOD]: 100, [MOD2]: 0 } }), { ...baseContent(r.rv), users: { [MOD]: 100, [MOD2]: 100 } }),
    expect: deniedBy(`${P}/user_current_not_below_own`),
  },
];

runAuthScenarios('auth rules: m.room.power_levels', [...validation, ...initial, ...named, ...eventMaps, ...userEntries]);
