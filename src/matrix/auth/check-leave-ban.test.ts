/** Memberships `leave` (leave, reject, rescind, kick, unban) and `ban`, in every room version. */
import type { JsonObject } from '../json.js';
import type { RoomVersion } from '../room-version.js';
import type { AuthScenario } from './test-auth-scenarios.js';
import { allowedBy, deniedBy, runAuthScenarios } from './test-auth-scenarios.js';
import type { TestRoom } from './test-events.js';
import { ALICE, BOB, CAROL, emptyRoom, EVE, MOD } from './test-events.js';

const L = 'm.room.member/leave';
const B = 'm.room.member/ban';
const MOD2 = '@mod2:b.example';

/** Standard levels plus overrides; ALICE keeps 100 (v1–v11) or is left out (v12). */
function setLevels(r: TestRoom, extra: Record<string, number>, users: Record<string, number> = {}) {
  const base: JsonObject = r.rv.privilegedCreators ? { [MOD]: 50 } : { [ALICE]: 100, [MOD]: 50 };
  r.setPowerLevels({ users: { ...base, ...users }, ...extra });
}

/** A room with no power-levels event: ALICE (creator) joined, BOB joined, EVE banned. */
function roomWithoutPowerLevels(rv: RoomVersion): TestRoom {
  const r = emptyRoom(rv);
  r.setMember(ALICE, 'join');
  r.setMember(BOB, 'join');
  r.setMember(EVE, 'ban', ALICE);
  return r;
}

const selfLeave: AuthScenario[] = [
  { name: 'a joined user leaves', build: (r) => r.memberEvent(BOB, 'leave'), expect: allowedBy(`${L}/self`) },
  {
    name: 'an invited user rejects the invite',
    build: (r) => {
      r.setMember(CAROL, 'invite', ALICE);
      return r.memberEvent(CAROL, 'leave');
    },
    expect: allowedBy(`${L}/self`),
  },
  {
    name: 'a knocking user rescinds the knock (v7+)',
    build: (r) => {
      r.setMember(CAROL, 'knock');
      return r.memberEvent(CAROL, 'leave');
    },
    expect: (rv) => (rv.knockSupported ? allowedBy(`${L}/self`) : deniedBy(`${L}/self`)),
  },
  {
    name: 'a user with no membership cannot leave',
    build: (r) => r.memberEvent(CAROL, 'leave'),
    expect: deniedBy(`${L}/self`),
  },
  {
    name: 'a user who already left cannot leave again',
    build: (r) => {
      r.setMember(CAROL, 'leave');
      return r.memberEvent(CAROL, 'leave');
    },
    expect: deniedBy(`${L}/self`),
  },
  {
    name: 'a banned user cannot unban themselves by leaving',
    build: (r) => r.memberEvent(EVE, 'leave'),
    expect: deniedBy(`${L}/self`),
  },
];

const kicks: AuthScenario[] = [
  {
    name: 'the creator kicks a member',
    build: (r) => r.memberEvent(BOB, 'leave', { sender: ALICE }),
    expect: allowedBy(`${L}/kick`),
  },
  {
    name: 'a moderator at the kick level kicks a member',
    build: (r) => r.memberEvent(BOB, 'leave', { sender: MOD }),
    expect: allowedBy(`${L}/kick`),
  },
  {
    name: 'a moderator kicks a user with no membership (target need not be in the room)',
    build: (r) => r.memberEvent(CAROL, 'leave', { sender: MOD }),
    expect: allowedBy(`${L}/kick`),
  },
  {
    name: 'below the kick level → reject',
    build: (r) => r.memberEvent(MOD, 'leave', { sender: BOB }),
    expect: deniedBy(`${L}/kick_power`),
  },
  {
    name: 'kicking someone with higher power → reject',
    build: (r) => r.memberEvent(ALICE, 'leave', { sender: MOD }),
    expect: deniedBy(`${L}/kick_power`),
  },
  {
    name: 'kicking someone with equal power → reject',
    build: (r) => {
      setLevels(r, {}, { [MOD2]: 50 });
      r.setMember(MOD2, 'join');
      return r.memberEvent(MOD2, 'leave', { sender: MOD });
    },
    expect: deniedBy(`${L}/kick_power`),
  },
  {
    name: 'a raised kick level stops a moderator',
    build: (r) => {
      setLevels(r, { kick: 51 });
      return r.memberEvent(BOB, 'leave', { sender: MOD });
    },
    expect: deniedBy(`${L}/kick_power`),
  },
  {
    name: 'a lowered kick level lets a default member kick someone below them',
    build: (r) => {
      setLevels(r, { kick: 0, users_default: 0 }, { [CAROL]: -1 });
      r.setMember(CAROL, 'join');
      return r.memberEvent(CAROL, 'leave', { sender: BOB });
    },
    expect: allowedBy(`${L}/kick`),
  },
  {
    name: 'a non-member cannot kick',
    build: (r) => {
      r.setMember(MOD, 'leave');
      return r.memberEvent(BOB, 'leave', { sender: MOD });
    },
    expect: deniedBy(`${L}/sender_not_joined`),
  },
  {
    name: 'an invited moderator cannot kick yet',
    build: (r) => {
      r.setMember(MOD, 'invite', ALICE);
      return r.memberEvent(BOB, 'leave', { sender: MOD });
    },
    expect: deniedBy(`${L}/sender_not_joined`),
  },
  {
    name: 'unban by a moderator at both kick and ban level',
    build: (r) => r.memberEvent(EVE, 'leave', { sender: MOD }),
    expect: allowedBy(`${L}/kick`),
  },
  {
    name: 'unban below the ban level → reject',
    build: (r) => r.memberEvent(EVE, 'leave', { sender: BOB }),
    expect: deniedBy(`${L}/unban_power`),
  },
  {
    name: 'unban needs the ban level even at the kick level',
    build: (r) => {
      setLevels(r, { ban: 60, kick: 0 });
      return r.memberEvent(EVE, 'leave', { sender: MOD });
    },
    expect: deniedBy(`${L}/unban_power`),
  },
  {
    name: 'unban needs the kick level too',
    build: (r) => {
      setLevels(r, { ban: 0, kick: 60 });
      return r.memberEvent(EVE, 'leave', { sender: MOD });
    },
    expect: deniedBy(`${L}/kick_power`),
  },
  {
    name: 'unban needs more power than the banned user',
    build: (r) => {
      setLevels(r, {}, { [EVE]: 50 });
      return r.memberEvent(EVE, 'leave', { sender: MOD });
    },
    expect: deniedBy(`${L}/kick_power`),
  },
  {
    name: 'no power levels: the creator (100 before v12, infinite in v12) kicks',
    base: roomWithoutPowerLevels,
    build: (r) => r.memberEvent(BOB, 'leave', { sender: ALICE }),
    expect: allowedBy(`${L}/kick`),
  },
  {
    name: 'no power levels: others have 0, below the default kick level of 50',
    base: roomWithoutPowerLevels,
    build: (r) => r.memberEvent(ALICE, 'leave', { sender: BOB }),
    expect: deniedBy(`${L}/kick_power`),
  },
  {
    name: 'v12: an additional creator cannot be kicked by a moderator at 100',
    only: (rv) => rv.privilegedCreators,
    base: (rv) => {
      const r = emptyRoom(rv, ALICE, { additional_creators: [BOB] });
      r.setMember(ALICE, 'join');
      r.setMember(BOB, 'join');
      r.setMember(MOD, 'join');
      r.setPowerLevels({ users: { [MOD]: 100 } });
      return r;
    },
    build: (r) => r.memberEvent(BOB, 'leave', { sender: MOD }),
    expect: deniedBy(`${L}/kick_power`),
  },
  {
    name: 'v12: an additional creator kicks a moderator at 100',
    only: (rv) => rv.privilegedCreators,
    base: (rv) => {
      const r = emptyRoom(rv, ALICE, { additional_creators: [BOB] });
      r.setMember(BOB, 'join');
      r.setMember(MOD, 'join');
      r.setPowerLevels({ users: { [MOD]: 100 } });
      return r;
    },
    build: (r) => r.memberEvent(MOD, 'leave', { sender: BOB }),
    expect: allowedBy(`${L}/kick`),
  },
  {
    name: 'v12: one creator cannot kick another (both infinite)',
    only: (rv) => rv.privilegedCreators,
    base: (rv) => {
      const r = emptyRoom(rv, ALICE, { additional_creators: [BOB] });
      r.setMember(ALICE, 'join');
      r.setMember(BOB, 'join');
      return r;
    },
    build: (r) => r.memberEvent(ALICE, 'leave', { sender: BOB }),
    expect: deniedBy(`${L}/kick_power`),
  },
];

const bans: AuthScenario[] = [
  {
    name: 'a moderator bans a member',
    build: (r) => r.memberEvent(BOB, 'ban', { sender: MOD }),
    expect: allowedBy(`${B}/allow`),
  },
  {
    name: 'the creator bans a moderator',
    build: (r) => r.memberEvent(MOD, 'ban', { sender: ALICE }),
    expect: allowedBy(`${B}/allow`),
  },
  {
    name: 'a moderator bans a user never in the room',
    build: (r) => r.memberEvent(CAROL, 'ban', { sender: MOD }),
    expect: allowedBy(`${B}/allow`),
  },
  {
    name: 'banning an already banned user is allowed',
    build: (r) => r.memberEvent(EVE, 'ban', { sender: MOD }),
    expect: allowedBy(`${B}/allow`),
  },
  {
    name: 'below the ban level → reject',
    build: (r) => r.memberEvent(CAROL, 'ban', { sender: BOB }),
    expect: deniedBy(`${B}/power`),
  },
  {
    name: 'banning someone with higher power → reject',
    build: (r) => r.memberEvent(ALICE, 'ban', { sender: MOD }),
    expect: deniedBy(`${B}/power`),
  },
  {
    name: 'banning yourself → reject (not below your own level)',
    build: (r) => r.memberEvent(MOD, 'ban', { sender: MOD }),
    expect: deniedBy(`${B}/power`),
  },
  {
    name: 'banning someone with equal power → reject',
    build: (r) => {
      setLevels(r, {}, { [MOD2]: 50 });
      return r.memberEvent(MOD2, 'ban', { sender: MOD });
    },
    expect: deniedBy(`${B}/power`),
  },
  {
    name: 'a raised ban level stops a moderator',
    build: (r) => {
      setLevels(r, { ban: 75 });
      return r.memberEvent(BOB, 'ban', { sender: MOD });
    },
    expect: deniedBy(`${B}/power`),
  },
  {
    name: 'a ban level given as a numeric string counts before v10 only',
    build: (r) => {
      setLevels(r, { ban: '75' as unknown as number });
      return r.memberEvent(BOB, 'ban', { sender: MOD });
    },
    // v10+: the string is no level at all, so the default (50) applies.
    expect: (rv) => (rv.integerOnlyPowerLevels ? allowedBy(`${B}/allow`) : deniedBy(`${B}/power`)),
  },
  {
    name: 'a non-member cannot ban',
    build: (r) => {
      r.setMember(MOD, 'leave');
      return r.memberEvent(BOB, 'ban', { sender: MOD });
    },
    expect: deniedBy(`${B}/sender_not_joined`),
  },
  {
    name: 'no power levels: the creator bans',
    base: roomWithoutPowerLevels,
    build: (r) => r.memberEvent(BOB, 'ban', { sender: ALICE }),
    expect: allowedBy(`${B}/allow`),
  },
  {
    name: 'no power levels: a member cannot ban (0 < 50)',
    base: roomWithoutPowerLevels,
    build: (r) => r.memberEvent(CAROL, 'ban', { sender: BOB }),
    expect: deniedBy(`${B}/power`),
  },
  {
    name: 'v12: a creator cannot be banned, whatever the banner\'s level',
    only: (rv) => rv.privilegedCreators,
    build: (r) => {
      setLevels(r, {}, { [MOD]: 9007199254740991 });
      return r.memberEvent(ALICE, 'ban', { sender: MOD });
    },
    expect: deniedBy(`${B}/power`),
  },
];

runAuthScenarios('auth rules: membership leave and ban', [...selfLeave, ...kicks, ...bans]);
