/** Membership `join`: the first join, bans, and each join rule, in every room version. */
import type { JsonObject } from '../json.js';
import type { RoomVersion } from '../room-version.js';
import type { AuthScenario, Expectation } from './test-auth-scenarios.js';
import { allowedBy, deniedBy, runAuthScenarios } from './test-auth-scenarios.js';
import type { TestRoom } from './test-events.js';
import { ALICE, BOB, CAROL, emptyRoom, EVE, MOD } from './test-events.js';

const J = 'm.room.member/join';
const notAllowed = deniedBy(`${J}/join_rule`);
const invited = allowedBy(`${J}/invited`);

/** Signatures from CAROL's server and from the authorising user's server. */
function signedBy(...servers: string[]): JsonObject {
  return { signatures: Object.fromEntries(servers.map((s) => [s, { 'ed25519:1': 'c2ln' }])) };
}

/** CAROL joins with `content`, signed by her server and `alsoSignedBy`. */
function carolJoins(r: TestRoom, content: JsonObject = {}, alsoSignedBy: string[] = []) {
  return r.memberEvent(CAROL, 'join', { content, json: signedBy('c.example', ...alsoSignedBy) });
}

/** CAROL joins via `via`, with the signature of `via`'s server. */
function carolJoinsVia(r: TestRoom, via: string) {
  return carolJoins(r, { join_authorised_via_users_server: via }, [via.split(':')[1] as string]);
}

const firstJoin: AuthScenario[] = [
  {
    name: "the creator's first join, right after the create event → allow",
    base: 'empty',
    build: (r) => ({ ...r.memberEvent(ALICE, 'join'), prevEvents: [r.create.eventId] }),
    expect: allowedBy(`${J}/creator`),
  },
  {
    name: "the creator's first join is allowed even when sent by another user (the rule checks only state_key)",
    base: 'empty',
    build: (r) => ({ ...r.memberEvent(ALICE, 'join', { sender: BOB }), prevEvents: [r.create.eventId] }),
    expect: allowedBy(`${J}/creator`),
  },
  {
    name: 'a non-creator joining right after the create event gets no special treatment',
    base: 'empty',
    build: (r) => ({ ...r.memberEvent(CAROL, 'join'), prevEvents: [r.create.eventId] }),
    expect: notAllowed,
  },
  {
    name: 'the creator with two prev events is not a first join',
    base: 'empty',
    build: (r) => ({ ...r.memberEvent(ALICE, 'join'), prevEvents: [r.create.eventId, '$other'] }),
    expect: notAllowed,
  },
  {
    name: 'the creator after another event is not a first join',
    base: 'empty',
    build: (r) => ({ ...r.memberEvent(ALICE, 'join'), prevEvents: ['$other'] }),
    expect: notAllowed,
  },
  {
    name: 'content.creator names the creator before v11, the sender from v11',
    base: (rv) => emptyRoom(rv, ALICE, { creator: BOB }),
    build: (r) => ({ ...r.memberEvent(BOB, 'join'), prevEvents: [r.create.eventId] }),
    expect: (rv) => (rv.createHasCreator ? allowedBy(`${J}/creator`) : notAllowed),
  },
  {
    name: 'the create sender is not the creator before v11 when content.creator differs',
    base: (rv) => emptyRoom(rv, ALICE, { creator: BOB }),
    build: (r) => ({ ...r.memberEvent(ALICE, 'join'), prevEvents: [r.create.eventId] }),
    expect: (rv) => (rv.createHasCreator ? notAllowed : allowedBy(`${J}/creator`)),
  },
  {
    name: 'v12: an additional creator is not "the sender of the m.room.create" for the first join',
    only: (rv) => rv.privilegedCreators,
    base: (rv) => emptyRoom(rv, ALICE, { additional_creators: [BOB] }),
    build: (r) => ({ ...r.memberEvent(BOB, 'join'), prevEvents: [r.create.eventId] }),
    expect: notAllowed,
  },
];

const basics: AuthScenario[] = [
  {
    name: "joining someone else → reject",
    build: (r) => {
      r.setJoinRule('public');
      return r.memberEvent(CAROL, 'join', { sender: MOD });
    },
    expect: deniedBy(`${J}/sender_not_target`),
  },
  {
    name: 'a banned user cannot join a public room',
    build: (r) => {
      r.setJoinRule('public');
      return r.memberEvent(EVE, 'join');
    },
    expect: deniedBy(`${J}/banned`),
  },
  {
    name: 'a banned user cannot join even when "invited" by a restricted-join authoriser',
    only: (rv) => rv.restrictedJoinSupported,
    build: (r) => {
      r.setJoinRule('restricted');
      return r.memberEvent(EVE, 'join', {
        content: { join_authorised_via_users_server: MOD },
        json: signedBy('e.example', 'a.example'),
      });
    },
    expect: deniedBy(`${J}/banned`),
  },
  {
    name: 'public: anyone may join',
    build: (r) => {
      r.setJoinRule('public');
      return carolJoins(r);
    },
    expect: allowedBy(`${J}/public`),
  },
  {
    name: 'public: a member who left may rejoin',
    build: (r) => {
      r.setJoinRule('public');
      r.setMember(CAROL, 'leave');
      return carolJoins(r);
    },
    expect: allowedBy(`${J}/public`),
  },
];

/** The join rules that behave like `invite` for a user without membership, per version. */
const inviteLike = (rule: string, applies: (rv: RoomVersion) => boolean): AuthScenario[] => [
  {
    name: `${rule}: an invited user may join`,
    build: (r) => {
      r.setJoinRule(rule);
      r.setMember(CAROL, 'invite', ALICE);
      return carolJoins(r);
    },
    expect: (rv) => (applies(rv) ? invited : notAllowed),
  },
  {
    name: `${rule}: a joined user may "join" again (profile change)`,
    build: (r) => {
      r.setJoinRule(rule);
      return r.memberEvent(BOB, 'join', { content: { displayname: 'Bob' } });
    },
    expect: (rv) => (applies(rv) ? invited : notAllowed),
  },
  ...(['none', 'leave', 'knock'] as const).map(
    (m): AuthScenario => ({
      name: `${rule}: a user whose membership is ${m} may not join`,
      build: (r) => {
        r.setJoinRule(rule);
        if (m !== 'none') r.setMember(CAROL, m);
        return carolJoins(r);
      },
      expect: notAllowed,
    }),
  ),
];

const joinRules: AuthScenario[] = [
  ...inviteLike('invite', () => true),
  ...inviteLike('knock', (rv) => rv.knockSupported),
  {
    name: 'no m.room.join_rules event: treated as invite (invited user may join)',
    build: (r) => {
      r.remove('m.room.join_rules', '');
      r.setMember(CAROL, 'invite', ALICE);
      return carolJoins(r);
    },
    expect: invited,
  },
  {
    name: 'no m.room.join_rules event: an uninvited user may not join',
    build: (r) => {
      r.remove('m.room.join_rules', '');
      return carolJoins(r);
    },
    expect: notAllowed,
  },
  {
    name: 'join_rules without join_rule: treated as invite',
    build: (r) => {
      r.put(r.event({ type: 'm.room.join_rules', sender: ALICE, stateKey: '', content: {} }));
      r.setMember(CAROL, 'invite', ALICE);
      return carolJoins(r);
    },
    expect: invited,
  },
  {
    name: 'a non-string join_rule allows nobody',
    build: (r) => {
      r.put(r.event({ type: 'm.room.join_rules', sender: ALICE, stateKey: '', content: { join_rule: 5 } }));
      r.setMember(CAROL, 'invite', ALICE);
      return carolJoins(r);
    },
    expect: notAllowed,
  },
  {
    name: 'private (reserved, never defined) allows nobody, even the invited',
    build: (r) => {
      r.setJoinRule('private');
      r.setMember(CAROL, 'invite', ALICE);
      return carolJoins(r);
    },
    expect: notAllowed,
  },
];

/** Restricted-join rows for `restricted` (v8+) and `knock_restricted` (v10+). */
function restricted(rule: string, supported: (rv: RoomVersion) => boolean): AuthScenario[] {
  const R = (e: Expectation) => (rv: RoomVersion) => (supported(rv) ? e : notAllowed);
  return [
    {
      name: `${rule}: an invited user may join without an authoriser`,
      build: (r) => {
        r.setJoinRule(rule);
        r.setMember(CAROL, 'invite', ALICE);
        return carolJoins(r);
      },
      expect: R(allowedBy(`${J}/restricted_member`)),
    },
    {
      name: `${rule}: a joined user may rejoin without an authoriser`,
      build: (r) => {
        r.setJoinRule(rule);
        return r.memberEvent(BOB, 'join');
      },
      expect: R(allowedBy(`${J}/restricted_member`)),
    },
    {
      name: `${rule}: no join_authorised_via_users_server → reject`,
      build: (r) => {
        r.setJoinRule(rule);
        return carolJoins(r);
      },
      expect: R(deniedBy(`${J}/restricted_authoriser`)),
    },
    {
      name: `${rule}: authorised by a joined member who can invite → allow`,
      build: (r) => {
        r.setJoinRule(rule);
        return carolJoinsVia(r, MOD);
      },
      expect: R(allowedBy(`${J}/restricted_authorised`)),
    },
    {
      name: `${rule}: authorised by the creator → allow`,
      build: (r) => {
        r.setJoinRule(rule);
        return carolJoinsVia(r, ALICE);
      },
      expect: R(allowedBy(`${J}/restricted_authorised`)),
    },
    {
      name: `${rule}: authorised by someone not joined → reject`,
      build: (r) => {
        r.setJoinRule(rule);
        r.setMember('@zed:z.example', 'invite', ALICE);
        return carolJoinsVia(r, '@zed:z.example');
      },
      expect: R(deniedBy(`${J}/restricted_authoriser`)),
    },
    {
      name: `${rule}: authorised by a joined member below the invite level → reject`,
      build: (r) => {
        r.setJoinRule(rule);
        r.setPowerLevels({ users: r.rv.privilegedCreators ? { [MOD]: 50 } : { [ALICE]: 100, [MOD]: 50 }, invite: 10 });
        return carolJoinsVia(r, BOB);
      },
      expect: R(deniedBy(`${J}/restricted_authoriser`)),
    },
    {
      name: `${rule}: authorised by a joined member exactly at the invite level → allow`,
      build: (r) => {
        r.setJoinRule(rule);
        r.setPowerLevels({ users: r.rv.privilegedCreators ? { [MOD]: 50 } : { [ALICE]: 100, [MOD]: 50 }, invite: 50 });
        return carolJoinsVia(r, MOD);
      },
      expect: R(allowedBy(`${J}/restricted_authorised`)),
    },
    {
      name: `${rule}: the authoriser's signature is missing → reject (v8+)`,
      build: (r) => {
        r.setJoinRule(rule);
        return carolJoins(r, { join_authorised_via_users_server: MOD });
      },
      expect: (rv) =>
        rv.restrictedJoinSupported ? deniedBy('m.room.member/authorising_server_signature') : notAllowed,
    },
  ];
}

const authoriserSignature: AuthScenario[] = [
  {
    name: 'join_authorised_via_users_server without its server signature, even in a public room',
    build: (r) => {
      r.setJoinRule('public');
      return carolJoins(r, { join_authorised_via_users_server: MOD });
    },
    expect: (rv) =>
      rv.restrictedJoinSupported ? deniedBy('m.room.member/authorising_server_signature') : allowedBy(`${J}/public`),
  },
  {
    name: 'an empty signature block from the authorising server does not count',
    build: (r) => {
      r.setJoinRule('public');
      return r.memberEvent(CAROL, 'join', {
        content: { join_authorised_via_users_server: MOD },
        json: { signatures: { 'c.example': { 'ed25519:1': 'c2ln' }, 'a.example': {} } },
      });
    },
    expect: (rv) =>
      rv.restrictedJoinSupported ? deniedBy('m.room.member/authorising_server_signature') : allowedBy(`${J}/public`),
  },
  {
    name: 'a non-string join_authorised_via_users_server cannot be signed for',
    build: (r) => {
      r.setJoinRule('public');
      return carolJoins(r, { join_authorised_via_users_server: 42 }, ['a.example']);
    },
    expect: (rv) =>
      rv.restrictedJoinSupported ? deniedBy('m.room.member/authorising_server_signature') : allowedBy(`${J}/public`),
  },
  {
    name: 'the signature rule applies to every membership, e.g. a leave',
    build: (r) =>
      r.memberEvent(BOB, 'leave', { content: { join_authorised_via_users_server: MOD } }),
    expect: (rv) =>
      rv.restrictedJoinSupported
        ? deniedBy('m.room.member/authorising_server_signature')
        : allowedBy('m.room.member/leave/self'),
  },
  {
    name: 'signed by the authorising server, the public join passes',
    build: (r) => {
      r.setJoinRule('public');
      return carolJoinsVia(r, MOD);
    },
    expect: allowedBy(`${J}/public`),
  },
];

runAuthScenarios('auth rules: membership join', [
  ...firstJoin,
  ...basics,
  ...joinRules,
  ...restricted('restricted', (rv) => rv.restrictedJoinSupported),
  ...restricted('knock_restricted', (rv) => rv.knockRestrictedSupported),
  ...authoriserSignature,
]);
