/**
 * The rules around the membership rules, in every room version: the create event's presence
 * (and v12's room ID), m.federate, v1–v5 aliases, "sender must be joined", third-party invite
 * events, the required power level, user-owned state keys, v1–v2 redactions, and the final allow.
 */
import type { JsonObject } from '../json.js';
import type { RoomVersion } from '../room-version.js';
import { checkEventAuth } from './check-event-auth.js';
import type { AuthScenario, Expectation } from './test-auth-scenarios.js';
import { allowedBy, deniedBy, runAuthScenarios } from './test-auth-scenarios.js';
import type { TestRoom } from './test-events.js';
import { ALICE, BOB, CAROL, emptyRoom, EVE, MOD } from './test-events.js';

const ALLOW = allowedBy('allow');
const REQUIRED = deniedBy('power_levels/required_level');
const NOT_JOINED = deniedBy('sender_not_joined');
const MAX = 9007199254740991;

const message = (r: TestRoom, sender = BOB, type = 'm.room.message') =>
  r.event({ type, sender, content: { msgtype: 'm.text', body: 'hi' } });
const stateEvent = (r: TestRoom, sender = BOB, type = 'm.room.topic', stateKey = '') =>
  r.event({ type, sender, stateKey, content: { topic: 'x' } });

/** Standard users (ALICE 100 before v12, MOD 50) plus `extra` levels and users. */
function setLevels(r: TestRoom, extra: JsonObject, users: JsonObject = {}) {
  const base: JsonObject = r.rv.privilegedCreators ? { [MOD]: 50 } : { [ALICE]: 100, [MOD]: 50 };
  r.setPowerLevels({ users: { ...base, ...users }, ...extra });
}

/** A room with the given `m.room.create` content, ALICE, MOD and BOB joined, public. */
function roomWithCreate(createContent: JsonObject) {
  return (rv: RoomVersion): TestRoom => {
    const r = emptyRoom(rv, ALICE, createContent);
    for (const u of [ALICE, MOD, BOB]) r.setMember(u, 'join');
    r.setPowerLevels({ users: rv.privilegedCreators ? { [MOD]: 50 } : { [ALICE]: 100, [MOD]: 50 } });
    r.setJoinRule('public');
    return r;
  };
}

const createPresence: AuthScenario[] = [
  {
    name: 'no m.room.create in the auth state → reject',
    build: (r) => message(r),
    check: (e, r) => checkEventAuth(e, (t, k) => (t === 'm.room.create' ? undefined : r.lookup(t, k))),
    expect: (rv) => (rv.roomIdIsCreateHash ? deniedBy('room_id/create_event') : deniedBy('auth_events/missing_create')),
  },
  {
    name: "v12: a room ID that is not the create event's ID → reject",
    only: (rv) => rv.roomIdIsCreateHash,
    build: (r) => ({ ...message(r), roomId: '!someotherhash' }),
    expect: deniedBy('room_id/create_event'),
  },
  {
    name: "v12: the room ID is the create event's ID with ! for $",
    only: (rv) => rv.roomIdIsCreateHash,
    build: (r) => message(r),
    expect: ALLOW,
  },
];

const federate: AuthScenario[] = [
  {
    name: 'm.federate false: a message from another server → reject',
    base: roomWithCreate({ 'm.federate': false }),
    build: (r) => message(r, BOB),
    expect: deniedBy('m.federate'),
  },
  {
    name: "m.federate false: a join from another server → reject (before the membership rules)",
    base: roomWithCreate({ 'm.federate': false }),
    build: (r) => r.memberEvent(CAROL, 'join'),
    expect: deniedBy('m.federate'),
  },
  {
    name: "m.federate false: events from the creator's server are fine",
    base: roomWithCreate({ 'm.federate': false }),
    build: (r) => message(r, MOD),
    expect: ALLOW,
  },
  {
    name: 'm.federate true: other servers are fine',
    base: roomWithCreate({ 'm.federate': true }),
    build: (r) => message(r, BOB),
    expect: ALLOW,
  },
  {
    name: 'm.federate "false" (a string) is not false',
    base: roomWithCreate({ 'm.federate': 'false' }),
    build: (r) => message(r, BOB),
    expect: ALLOW,
  },
];

const aliases: AuthScenario[] = [
  {
    name: "m.room.aliases for the sender's own server",
    build: (r) => r.event({ type: 'm.room.aliases', sender: BOB, stateKey: 'b.example', content: { aliases: [] } }),
    // v6+: an ordinary state event, and BOB (0) is below state_default (50).
    expect: (rv) => (rv.specialCaseAliasesAuth ? allowedBy('m.room.aliases/allow') : REQUIRED),
  },
  {
    name: 'm.room.aliases from a server whose users are not even in the room (v1–v5)',
    build: (r) => r.event({ type: 'm.room.aliases', sender: CAROL, stateKey: 'c.example', content: { aliases: [] } }),
    expect: (rv) => (rv.specialCaseAliasesAuth ? allowedBy('m.room.aliases/allow') : NOT_JOINED),
  },
  {
    name: "m.room.aliases for another server's state key",
    build: (r) => r.event({ type: 'm.room.aliases', sender: BOB, stateKey: 'a.example', content: { aliases: [] } }),
    expect: (rv) => (rv.specialCaseAliasesAuth ? deniedBy('m.room.aliases/domain_mismatch') : REQUIRED),
  },
  {
    name: 'm.room.aliases with a port in the server name',
    build: (r) =>
      r.event({ type: 'm.room.aliases', sender: '@bob:b.example:8448', stateKey: 'b.example:8448', content: { aliases: [] } }),
    expect: (rv) => (rv.specialCaseAliasesAuth ? allowedBy('m.room.aliases/allow') : NOT_JOINED),
  },
  {
    name: 'm.room.aliases without a state key',
    build: (r) => r.event({ type: 'm.room.aliases', sender: BOB, content: { aliases: [] } }),
    expect: (rv) => (rv.specialCaseAliasesAuth ? deniedBy('m.room.aliases/no_state_key') : ALLOW),
  },
  {
    name: 'm.federate is checked before the aliases rule',
    base: roomWithCreate({ 'm.federate': false }),
    build: (r) => r.event({ type: 'm.room.aliases', sender: BOB, stateKey: 'b.example', content: { aliases: [] } }),
    expect: deniedBy('m.federate'),
  },
];

const membershipNeeded: AuthScenario[] = [
  { name: 'a message from a non-member → reject', build: (r) => message(r, CAROL), expect: NOT_JOINED },
  { name: 'a message from a banned user → reject', build: (r) => message(r, EVE), expect: NOT_JOINED },
  {
    name: 'a message from an invited user → reject',
    build: (r) => {
      r.setMember(CAROL, 'invite', ALICE);
      return message(r, CAROL);
    },
    expect: NOT_JOINED,
  },
  {
    name: 'a message from a member who left → reject',
    build: (r) => {
      r.setMember(BOB, 'leave');
      return message(r, BOB);
    },
    expect: NOT_JOINED,
  },
  { name: 'a message from a joined member → allow', build: (r) => message(r, BOB), expect: ALLOW },
  {
    name: 'even the creator must be joined to send',
    build: (r) => {
      r.setMember(ALICE, 'leave');
      return stateEvent(r, ALICE);
    },
    expect: NOT_JOINED,
  },
];

const tpiEvent = (r: TestRoom, sender: string) =>
  r.event({ type: 'm.room.third_party_invite', sender, stateKey: 'tok', content: { display_name: 'x', public_key: 'k' } });

const thirdPartyInviteEvents: AuthScenario[] = [
  {
    name: 'm.room.third_party_invite at the invite level (0)',
    build: (r) => tpiEvent(r, BOB),
    expect: allowedBy('m.room.third_party_invite/invite_level'),
  },
  {
    name: 'm.room.third_party_invite below the invite level',
    build: (r) => {
      setLevels(r, { invite: 50 });
      return tpiEvent(r, BOB);
    },
    expect: deniedBy('m.room.third_party_invite/invite_level'),
  },
  {
    name: 'm.room.third_party_invite ignores its entry in events (rule 6 comes before rule 7)',
    build: (r) => {
      setLevels(r, { events: { 'm.room.third_party_invite': 100 }, state_default: 100 });
      return tpiEvent(r, BOB);
    },
    expect: allowedBy('m.room.third_party_invite/invite_level'),
  },
  { name: 'm.room.third_party_invite from a non-member', build: (r) => tpiEvent(r, CAROL), expect: NOT_JOINED },
];

/** Rows about the required power level; `e` is the outcome for BOB (level 0 unless said). */
const required: AuthScenario[] = [
  { name: 'a state event below state_default (50) → reject', build: (r) => stateEvent(r), expect: REQUIRED },
  { name: 'a state event at state_default → allow', build: (r) => stateEvent(r, MOD), expect: ALLOW },
  {
    name: 'events overrides state_default (lower)',
    build: (r) => {
      setLevels(r, { events: { 'm.room.topic': 0 } });
      return stateEvent(r);
    },
    expect: ALLOW,
  },
  {
    name: 'events overrides events_default (higher)',
    build: (r) => {
      setLevels(r, { events: { 'm.room.message': 10 } });
      return message(r);
    },
    expect: REQUIRED,
  },
  {
    name: 'events_default applies to other message types',
    build: (r) => {
      setLevels(r, { events_default: 10, events: { 'm.room.message': 0 } });
      return message(r, BOB, 'm.custom');
    },
    expect: REQUIRED,
  },
  {
    name: 'state_default 0 lets members send state',
    build: (r) => {
      setLevels(r, { state_default: 0 });
      return stateEvent(r);
    },
    expect: ALLOW,
  },
  {
    name: 'users_default raises everyone not listed',
    build: (r) => {
      setLevels(r, { users_default: 50 });
      return stateEvent(r);
    },
    expect: ALLOW,
  },
  {
    name: 'no power levels: state events need 50 (only the creator has it)',
    build: (r) => {
      r.remove('m.room.power_levels', '');
      return stateEvent(r, MOD);
    },
    expect: REQUIRED,
  },
  {
    name: 'no power levels: the creator sends state',
    build: (r) => {
      r.remove('m.room.power_levels', '');
      return stateEvent(r, ALICE);
    },
    expect: ALLOW,
  },
  {
    name: 'no power levels: anyone joined sends messages',
    build: (r) => {
      r.remove('m.room.power_levels', '');
      return message(r);
    },
    expect: ALLOW,
  },
  {
    name: 'events_default as a numeric string counts before v10 only',
    build: (r) => {
      setLevels(r, { events_default: ' +010 ' });
      return message(r);
    },
    expect: (rv) => (rv.integerOnlyPowerLevels ? ALLOW : REQUIRED),
  },
  {
    name: 'a user level as a numeric string counts before v10 only',
    build: (r) => {
      setLevels(r, {}, { [BOB]: '50' });
      return stateEvent(r);
    },
    expect: (rv) => (rv.integerOnlyPowerLevels ? REQUIRED : ALLOW),
  },
  {
    name: 'a user level as a float is truncated in v1–v5 (non-canonical JSON rooms)',
    build: (r) => {
      setLevels(r, {}, { [BOB]: 50.7 });
      return stateEvent(r);
    },
    expect: (rv) => (rv.strictCanonicalJson ? REQUIRED : ALLOW),
  },
  {
    name: 'a float just below the level truncates below it',
    build: (r) => {
      setLevels(r, {}, { [BOB]: 49.9 });
      return stateEvent(r);
    },
    expect: REQUIRED,
  },
  {
    name: 'v12: a creator beats any required level',
    only: (rv) => rv.privilegedCreators,
    build: (r) => {
      setLevels(r, { events: { 'm.room.topic': MAX } });
      return stateEvent(r, ALICE);
    },
    expect: ALLOW,
  },
  {
    name: 'v12: an additional creator beats any required level',
    only: (rv) => rv.privilegedCreators,
    base: (rv) => {
      const r = roomWithCreate({ additional_creators: [BOB] })(rv);
      r.setPowerLevels({ users: { [MOD]: 50 }, state_default: MAX });
      return r;
    },
    build: (r) => stateEvent(r, BOB),
    expect: ALLOW,
  },
  {
    name: 'before v12, additional_creators grants nothing',
    only: (rv) => !rv.privilegedCreators,
    base: roomWithCreate({ additional_creators: [BOB] }),
    build: (r) => stateEvent(r, BOB),
    expect: REQUIRED,
  },
];

const stateKeys: AuthScenario[] = [
  ...(
    [
      [BOB, ALLOW],
      [MOD, deniedBy('state_key/other_user')],
      ['@', deniedBy('state_key/other_user')],
      ['@bob', deniedBy('state_key/other_user')],
      ['bob:b.example', ALLOW],
      ['', ALLOW],
    ] as const
  ).map(
    ([key, expect]): AuthScenario => ({
      name: `state_key ${JSON.stringify(key)} sent by ${BOB}`,
      build: (r) => {
        setLevels(r, { state_default: 0 });
        return stateEvent(r, BOB, 'm.custom', key);
      },
      expect,
    }),
  ),
  {
    name: "the required level is checked before the state key's owner",
    build: (r) => stateEvent(r, BOB, 'm.custom', MOD),
    expect: REQUIRED,
  },
];

const redact = (r: TestRoom, sender: string, redacts: string | undefined, eventId?: string) =>
  r.event({
    type: 'm.room.redaction',
    sender,
    content: {},
    ...(redacts !== undefined ? { redacts } : {}),
    ...(eventId ? { eventId } : {}),
  });
const legacy = (e: Expectation) => (rv: RoomVersion) => (rv.redactionAuthRule ? e : ALLOW);

const redactions: AuthScenario[] = [
  {
    name: 'redaction at the redact level',
    build: (r) => redact(r, MOD, '$x:b.example'),
    expect: legacy(allowedBy('m.room.redaction/redact_level')),
  },
  {
    name: "redaction of an event from the redaction's own server (by event ID)",
    build: (r) => redact(r, BOB, '$x:b.example', '$r:b.example'),
    expect: legacy(allowedBy('m.room.redaction/same_domain')),
  },
  {
    name: "redaction of another server's event below the redact level",
    build: (r) => redact(r, BOB, '$x:a.example', '$r:b.example'),
    expect: legacy(deniedBy('m.room.redaction/not_allowed')),
  },
  {
    name: 'the domain compared is the event ID\'s, not the sender\'s',
    build: (r) => redact(r, BOB, '$x:b.example', '$r:a.example'),
    expect: legacy(deniedBy('m.room.redaction/not_allowed')),
  },
  {
    name: 'redaction without redacts below the redact level',
    build: (r) => redact(r, BOB, undefined, '$r:b.example'),
    expect: legacy(deniedBy('m.room.redaction/not_allowed')),
  },
  {
    name: 'a lowered redact level',
    build: (r) => {
      setLevels(r, { redact: 0 });
      return redact(r, BOB, '$x:a.example', '$r:b.example');
    },
    expect: legacy(allowedBy('m.room.redaction/redact_level')),
  },
  {
    name: 'redactions obey events/events_default like any event',
    build: (r) => {
      setLevels(r, { events: { 'm.room.redaction': 10 } });
      return redact(r, BOB, '$x:b.example', '$r:b.example');
    },
    expect: REQUIRED,
  },
];

runAuthScenarios('auth rules: general', [
  ...createPresence,
  ...federate,
  ...aliases,
  ...membershipNeeded,
  ...thirdPartyInviteEvents,
  ...required,
  ...stateKeys,
  ...redactions,
]);
