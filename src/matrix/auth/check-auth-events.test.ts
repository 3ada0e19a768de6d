/** Rule 2 (v12: rule 3): checks of the listed auth events, and the lookup built from them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoomEvent } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';
import { ROOM_VERSIONS } from '../room-version.js';
import { lookupFromEvents } from './auth-state-lookup.js';
import type { AuthEventsOptions } from './check-auth-events.js';
import { checkAuthEvents } from './check-auth-events.js';
import { checkEventAuth } from './check-event-auth.js';
import type { AuthScenario } from './test-auth-scenarios.js';
import { allowedBy, deniedBy, runAuthScenarios } from './test-auth-scenarios.js';
import type { TestRoom } from './test-events.js';
import { ALICE, BOB, CAROL, MOD, standardRoom } from './test-events.js';

const A = 'auth_events';
const OK = allowedBy(`${A}/allow`);

/** The state events at `keys` (plus the create event unless the version forbids citing it). */
function cite(r: TestRoom, ...keys: Array<readonly [string, string]>): RoomEvent[] {
  const all = r.rv.createEventNotInAuthEvents ? keys : [['m.room.create', ''] as const, ...keys];
  return all.map(([t, k]) => {
    const ev = r.lookup(t, k);
    assert.ok(ev, `test state has (${t}, ${k})`);
    return ev;
  });
}

interface Row {
  readonly name: string;
  readonly only?: (rv: RoomVersion) => boolean;
  readonly event: (r: TestRoom) => RoomEvent;
  readonly authEvents: (r: TestRoom) => RoomEvent[];
  readonly options?: (r: TestRoom) => AuthEventsOptions;
  readonly expect: AuthScenario['expect'];
}

const PL = ['m.room.power_levels', ''] as const;
const JR = ['m.room.join_rules', ''] as const;
const member = (u: string) => ['m.room.member', u] as const;
const msg = (r: TestRoom) => r.event({ type: 'm.room.message', sender: BOB, content: { body: 'hi' } });

const rows: Row[] = [
  { name: 'exactly the selected events', event: msg, authEvents: (r) => cite(r, PL, member(BOB)), expect: OK },
  { name: 'a subset of the selected events', event: msg, authEvents: (r) => cite(r, member(BOB)), expect: OK },
  {
    name: 'no create event',
    event: msg,
    authEvents: (r) => [r.lookup('m.room.power_levels', '')!],
    expect: (rv) => (rv.createEventNotInAuthEvents ? OK : deniedBy(`${A}/missing_create`)),
  },
  {
    name: 'v12: citing the create event is not allowed',
    only: (rv) => rv.createEventNotInAuthEvents,
    event: msg,
    authEvents: (r) => [r.create, ...cite(r, PL)],
    expect: deniedBy(`${A}/unexpected`),
  },
  {
    name: 'two power-levels events',
    event: msg,
    authEvents: (r) => {
      const other = r.event({ type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: {} });
      return [...cite(r, PL, member(BOB)), other];
    },
    expect: deniedBy(`${A}/duplicate`),
  },
  {
    name: 'duplicates are found before unexpected entries',
    event: msg,
    authEvents: (r) => [...cite(r, JR), r.lookup(...JR)!],
    expect: deniedBy(`${A}/duplicate`),
  },
  { name: 'join rules on a message', event: msg, authEvents: (r) => cite(r, PL, member(BOB), JR), expect: deniedBy(`${A}/unexpected`) },
  { name: "another user's membership on a message", event: msg, authEvents: (r) => cite(r, member(MOD)), expect: deniedBy(`${A}/unexpected`) },
  {
    name: 'a message event among the auth events',
    event: msg,
    authEvents: (r) => [...cite(r, PL), msg(r)],
    expect: deniedBy(`${A}/unexpected`),
  },
  {
    name: 'a rejected auth event',
    event: msg,
    authEvents: (r) => cite(r, PL, member(BOB)),
    options: (r) => ({ isRejected: (id) => id === r.lookup(...PL)!.eventId }),
    expect: deniedBy(`${A}/rejected`),
  },
  {
    name: 'an auth event from another room',
    event: msg,
    authEvents: (r) => [...cite(r, member(BOB)), { ...r.lookup(...PL)!, roomId: '!other:a.example' }],
    expect: deniedBy(`${A}/wrong_room`),
  },
  {
    name: 'an invite citing inviter, invitee, join rules',
    event: (r) => {
      r.setMember(CAROL, 'leave');
      return r.memberEvent(CAROL, 'invite', { sender: ALICE });
    },
    authEvents: (r) => cite(r, PL, member(ALICE), member(CAROL), JR),
    expect: OK,
  },
  {
    name: "a third-party invite citing its token's invite event",
    event: (r) => {
      r.put(r.event({ type: 'm.room.third_party_invite', sender: ALICE, stateKey: 'tok', content: {} }));
      return r.memberEvent(CAROL, 'invite', { sender: ALICE, content: { third_party_invite: { signed: { token: 'tok' } } } });
    },
    authEvents: (r) => cite(r, PL, member(ALICE), JR, ['m.room.third_party_invite', 'tok']),
    expect: OK,
  },
  {
    name: 'a third-party invite citing an invite event for another token',
    event: (r) => {
      r.put(r.event({ type: 'm.room.third_party_invite', sender: ALICE, stateKey: 'other', content: {} }));
      return r.memberEvent(CAROL, 'invite', { sender: ALICE, content: { third_party_invite: { signed: { token: 'tok' } } } });
    },
    authEvents: (r) => cite(r, PL, ['m.room.third_party_invite', 'other']),
    expect: deniedBy(`${A}/unexpected`),
  },
  {
    name: "a restricted join citing the authoriser's membership (v8+)",
    event: (r) => r.memberEvent(CAROL, 'join', { content: { join_authorised_via_users_server: MOD } }),
    authEvents: (r) => cite(r, PL, JR, member(MOD)),
    expect: (rv) => (rv.restrictedJoinSupported ? OK : deniedBy(`${A}/unexpected`)),
  },
  {
    name: 'a create event is decided by rule 1 alone',
    event: (r) => r.create,
    authEvents: (r) => cite(r, PL, PL),
    expect: allowedBy(`${A}/create_event`),
  },
];

runAuthScenarios(
  'auth rule 2: the listed auth events',
  rows.map((row) => ({
    name: row.name,
    ...(row.only ? { only: row.only } : {}),
    build: row.event,
    check: (e: RoomEvent, r: TestRoom) => checkAuthEvents(e, row.authEvents(r), row.options?.(r)),
    expect: row.expect,
  })),
);

void describe('lookupFromEvents', () => {
  const rv = ROOM_VERSIONS.get('11')!;
  void it('answers from the given events; the last one at a key wins; non-state events are ignored', () => {
    const r = standardRoom(rv);
    const pl1 = r.lookup(...PL)!;
    const pl2 = r.event({ type: 'm.room.power_levels', sender: ALICE, stateKey: '', content: { ban: 1 } });
    const lookup = lookupFromEvents([r.create, pl1, pl2, msg(r)]);
    assert.equal(lookup('m.room.create', ''), r.create);
    assert.equal(lookup('m.room.power_levels', ''), pl2);
    assert.equal(lookup('m.room.message', ''), undefined);
    assert.equal(lookup('m.room.member', BOB), undefined);
  });

  for (const rv of ROOM_VERSIONS.values()) {
    void it(`v${rv.id} checks an event against its own auth events (plus the create event in v12)`, () => {
      const r = standardRoom(rv);
      const ev = r.event({ type: 'm.room.topic', sender: MOD, stateKey: '', content: { topic: 't' } });
      const authEvents = cite(r, PL, member(MOD));
      assert.deepEqual(checkAuthEvents(ev, authEvents), { allowed: true, rule: 'auth_events/allow' });
      const withCreate = rv.createEventNotInAuthEvents ? [r.create, ...authEvents] : authEvents;
      assert.deepEqual(checkEventAuth(ev, lookupFromEvents(withCreate)), { allowed: true, rule: 'allow' });
      // Without MOD's membership among the auth events, MOD is not joined as far as they say.
      assert.equal(checkEventAuth(ev, lookupFromEvents(withCreate.filter((e) => e.type !== 'm.room.member'))).allowed, false);
    });
  }
});
