/** The shape checks every `m.room.member` event passes first, in every room version. */
import type { AuthScenario } from './test-auth-scenarios.js';
import { deniedBy, runAuthScenarios } from './test-auth-scenarios.js';
import { BOB, CAROL } from './test-events.js';

const M = 'm.room.member';

const scenarios: AuthScenario[] = [
  {
    name: 'a member event without state_key → reject',
    build: (r) => r.event({ type: M, sender: BOB, content: { membership: 'join' } }),
    expect: deniedBy(`${M}/no_state_key`),
  },
  {
    name: 'a member event without membership → reject',
    build: (r) => r.event({ type: M, sender: BOB, stateKey: BOB, content: { displayname: 'Bob' } }),
    expect: deniedBy(`${M}/no_membership`),
  },
  ...(['foo', 'JOIN', 'kick', '', 5, null] as const).map(
    (m): AuthScenario => ({
      name: `membership ${JSON.stringify(m)} is unknown → reject`,
      build: (r) => r.event({ type: M, sender: BOB, stateKey: BOB, content: { membership: m } }),
      expect: deniedBy(`${M}/unknown_membership`),
    }),
  ),
  {
    name: 'the membership rules run before "sender must be joined" (a non-member may try to join)',
    build: (r) => {
      r.setJoinRule('public');
      return r.memberEvent(CAROL, 'join');
    },
    expect: { allowed: true, rule: `${M}/join/public` },
  },
];

runAuthScenarios('auth rules: m.room.member shape', scenarios);
