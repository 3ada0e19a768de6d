/** Membership `knock` (v7+; `knock_restricted` v10+), and memberships before v7 where it is unknown. */
import type { RoomVersion } from '../room-version.js';
import type { AuthScenario, Expectation } from './test-auth-scenarios.js';
import { allowedBy, deniedBy, runAuthScenarios } from './test-auth-scenarios.js';
import { ALICE, BOB, CAROL, EVE, MOD } from './test-events.js';

const K = 'm.room.member/knock';
const unknown = deniedBy('m.room.member/unknown_membership');

/** Before v7 every knock is an unknown membership; from v7 `e`. */
const v7 = (e: Expectation) => (rv: RoomVersion) => (rv.knockSupported ? e : unknown);

const scenarios: AuthScenario[] = [
  {
    name: 'knock join rule: a user with no membership knocks',
    build: (r) => {
      r.setJoinRule('knock');
      return r.memberEvent(CAROL, 'knock');
    },
    expect: v7(allowedBy(`${K}/allow`)),
  },
  {
    name: 'knock_restricted join rule: knocking works from v10',
    build: (r) => {
      r.setJoinRule('knock_restricted', { allow: [] });
      return r.memberEvent(CAROL, 'knock');
    },
    expect: (rv) =>
      rv.knockRestrictedSupported ? allowedBy(`${K}/allow`) : v7(deniedBy(`${K}/join_rule`))(rv),
  },
  ...(['invite', 'public', 'restricted', 'private'] as const).map(
    (rule): AuthScenario => ({
      name: `${rule} join rule: knocking → reject`,
      build: (r) => {
        r.setJoinRule(rule);
        return r.memberEvent(CAROL, 'knock');
      },
      expect: v7(deniedBy(`${K}/join_rule`)),
    }),
  ),
  {
    name: 'no join rules event (invite): knocking → reject',
    build: (r) => {
      r.remove('m.room.join_rules', '');
      return r.memberEvent(CAROL, 'knock');
    },
    expect: v7(deniedBy(`${K}/join_rule`)),
  },
  {
    name: 'knocking for someone else → reject',
    build: (r) => {
      r.setJoinRule('knock');
      return r.memberEvent(CAROL, 'knock', { sender: MOD });
    },
    expect: v7(deniedBy(`${K}/sender_not_target`)),
  },
  ...([
    [EVE, 'banned'],
    [BOB, 'joined'],
    [ALICE, 'joined creator'],
  ] as const).map(
    ([user, what]): AuthScenario => ({
      name: `a ${what} user cannot knock`,
      build: (r) => {
        r.setJoinRule('knock');
        return r.memberEvent(user, 'knock');
      },
      expect: v7(deniedBy(`${K}/membership`)),
    }),
  ),
  {
    name: 'an invited user cannot knock',
    build: (r) => {
      r.setJoinRule('knock');
      r.setMember(CAROL, 'invite', ALICE);
      return r.memberEvent(CAROL, 'knock');
    },
    expect: v7(deniedBy(`${K}/membership`)),
  },
  ...(['leave', 'knock'] as const).map(
    (m): AuthScenario => ({
      name: `a user whose membership is ${m} may knock`,
      build: (r) => {
        r.setJoinRule('knock');
        r.setMember(CAROL, m);
        return r.memberEvent(CAROL, 'knock');
      },
      expect: v7(allowedBy(`${K}/allow`)),
    }),
  ),
];

runAuthScenarios('auth rules: membership knock', scenarios);
