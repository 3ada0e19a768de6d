/** The auth events selection, per room version. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../json.js';
import type { RoomVersion } from '../room-version.js';
import { authStateKeys } from './auth-state-keys.js';
import { ALICE, ALL_VERSIONS, BOB, CAROL, MOD } from './test-events.js';

type Key = readonly [string, string];
const CREATE: Key = ['m.room.create', ''];
const PL: Key = ['m.room.power_levels', ''];
const JR: Key = ['m.room.join_rules', ''];
const member = (u: string): Key => ['m.room.member', u];

interface Row {
  readonly name: string;
  readonly ev: { type: string; stateKey: string | undefined; sender: string; content: JsonObject };
  /** The expected keys after the create event (which v1–v11 put first and v12 leaves out). */
  readonly keys: (rv: RoomVersion) => Key[];
}

const memberEv = (sender: string, target: string | undefined, content: JsonObject) => ({
  type: 'm.room.member',
  stateKey: target,
  sender,
  content,
});

const rows: Row[] = [
  { name: 'a message', ev: { type: 'm.room.message', stateKey: undefined, sender: BOB, content: {} }, keys: () => [PL, member(BOB)] },
  { name: 'a state event', ev: { type: 'm.room.topic', stateKey: '', sender: BOB, content: {} }, keys: () => [PL, member(BOB)] },
  { name: 'a power-levels event', ev: { type: 'm.room.power_levels', stateKey: '', sender: ALICE, content: {} }, keys: () => [PL, member(ALICE)] },
  { name: 'joining (sender = target, listed once)', ev: memberEv(CAROL, CAROL, { membership: 'join' }), keys: () => [PL, member(CAROL), JR] },
  { name: 'an invite', ev: memberEv(ALICE, CAROL, { membership: 'invite' }), keys: () => [PL, member(ALICE), member(CAROL), JR] },
  { name: 'a knock', ev: memberEv(CAROL, CAROL, { membership: 'knock' }), keys: () => [PL, member(CAROL), JR] },
  { name: 'a leave', ev: memberEv(BOB, BOB, { membership: 'leave' }), keys: () => [PL, member(BOB)] },
  { name: 'a kick', ev: memberEv(MOD, BOB, { membership: 'leave' }), keys: () => [PL, member(MOD), member(BOB)] },
  { name: 'a ban', ev: memberEv(MOD, BOB, { membership: 'ban' }), keys: () => [PL, member(MOD), member(BOB)] },
  { name: 'an unknown membership', ev: memberEv(BOB, BOB, { membership: 'foo' }), keys: () => [PL, member(BOB)] },
  {
    name: 'a third-party invite adds the invite event for its token',
    ev: memberEv(ALICE, CAROL, { membership: 'invite', third_party_invite: { signed: { token: 'tok', mxid: CAROL } } }),
    keys: () => [PL, member(ALICE), member(CAROL), JR, ['m.room.third_party_invite', 'tok']],
  },
  {
    name: 'a third-party invite without a string token adds nothing',
    ev: memberEv(ALICE, CAROL, { membership: 'invite', third_party_invite: { signed: { token: 5 } } }),
    keys: () => [PL, member(ALICE), member(CAROL), JR],
  },
  {
    name: 'third_party_invite on a join is not an invite',
    ev: memberEv(CAROL, CAROL, { membership: 'join', third_party_invite: { signed: { token: 'tok' } } }),
    keys: () => [PL, member(CAROL), JR],
  },
  {
    name: 'a restricted join adds the authorising user (v8+)',
    ev: memberEv(CAROL, CAROL, { membership: 'join', join_authorised_via_users_server: MOD }),
    keys: (rv) => (rv.restrictedJoinSupported ? [PL, member(CAROL), JR, member(MOD)] : [PL, member(CAROL), JR]),
  },
  {
    name: 'an authorising user who is the joiner is listed once',
    ev: memberEv(CAROL, CAROL, { membership: 'join', join_authorised_via_users_server: CAROL }),
    keys: () => [PL, member(CAROL), JR],
  },
  {
    name: 'join_authorised_via_users_server on an invite adds nothing',
    ev: memberEv(ALICE, CAROL, { membership: 'invite', join_authorised_via_users_server: MOD }),
    keys: () => [PL, member(ALICE), member(CAROL), JR],
  },
  {
    name: 'a non-string join_authorised_via_users_server adds nothing',
    ev: memberEv(CAROL, CAROL, { membership: 'join', join_authorised_via_users_server: 7 }),
    keys: () => [PL, member(CAROL), JR],
  },
  { name: 'a member event without state key', ev: memberEv(BOB, undefined, { membership: 'join' }), keys: () => [PL, member(BOB), JR] },
];

void describe('authStateKeys', () => {
  for (const rv of ALL_VERSIONS) {
    for (const row of rows) {
      void it(`v${rv.id} ${row.name}`, () => {
        const expected = [...(rv.createEventNotInAuthEvents ? [] : [CREATE]), ...row.keys(rv)];
        assert.deepEqual(authStateKeys(row.ev, rv), expected);
      });
    }
    void it(`v${rv.id} the create event has no auth events`, () => {
      assert.deepEqual(authStateKeys({ type: 'm.room.create', stateKey: '', sender: ALICE, content: {} }, rv), []);
    });
  }
});
