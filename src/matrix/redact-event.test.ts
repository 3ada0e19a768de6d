import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactEvent } from './redact-event.js';
import { roomVersion } from './room-version.js';
import type { JsonObject } from './json.js';

/** Every top-level key any version protects, plus ones none does. */
const envelope: JsonObject = {
  event_id: '$e:x',
  type: 'PLACEHOLDER',
  room_id: '!r:x',
  sender: '@u:x',
  state_key: '',
  hashes: { sha256: 'h' },
  signatures: { x: { 'ed25519:1': 's' } },
  depth: 5,
  prev_events: ['$p'],
  prev_state: [],
  auth_events: ['$a'],
  origin: 'x',
  origin_server_ts: 7,
  membership: 'join',
  unsigned: { age_ts: 1 },
  redacts: '$top',
  extra: 'gone',
};

const V1_TOP = Object.keys(envelope).filter((k) => !['unsigned', 'redacts', 'extra'].includes(k));
const V11_TOP = V1_TOP.filter((k) => !['origin', 'membership', 'prev_state'].includes(k));

const contents: Record<string, JsonObject> = {
  'm.room.member': {
    membership: 'join',
    displayname: 'U',
    join_authorised_via_users_server: '@a:x',
    third_party_invite: { display_name: 'd', signed: { mxid: '@u:x', token: 't' } },
  },
  'm.room.create': { creator: '@u:x', room_version: '1', 'm.federate': false },
  'm.room.join_rules': { join_rule: 'restricted', allow: [{ type: 'm.room_membership' }], other: 1 },
  'm.room.power_levels': {
    ban: 50, events: { a: 1 }, events_default: 0, invite: 0, kick: 50, redact: 50,
    state_default: 50, users: { '@u:x': 100 }, users_default: 0, notifications: { room: 50 },
  },
  'm.room.aliases': { aliases: ['#a:x'], other: 1 },
  'm.room.history_visibility': { history_visibility: 'shared', other: 1 },
  'm.room.redaction': { redacts: '$r', reason: 'spam' },
  'm.room.message': { body: 'hi', msgtype: 'm.text' },
};

/** (type, redaction algorithm) → kept content keys; `'all'` keeps the whole content. */
const expectedContent: Record<string, Record<string, string[] | 'all'>> = {
  'm.room.member': {
    v1: ['membership'], v6: ['membership'], v8: ['membership'],
    v9: ['membership', 'join_authorised_via_users_server'],
    v11: ['membership', 'join_authorised_via_users_server', 'third_party_invite'],
  },
  'm.room.create': { v1: ['creator'], v6: ['creator'], v8: ['creator'], v9: ['creator'], v11: 'all' },
  'm.room.join_rules': { v1: ['join_rule'], v6: ['join_rule'], v8: ['join_rule', 'allow'], v9: ['join_rule', 'allow'], v11: ['join_rule', 'allow'] },
  'm.room.power_levels': {
    v1: ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'],
    v6: ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'],
    v8: ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'],
    v9: ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'],
    v11: ['ban', 'events', 'events_default', 'invite', 'kick', 'redact', 'state_default', 'users', 'users_default'],
  },
  'm.room.aliases': { v1: ['aliases'], v6: [], v8: [], v9: [], v11: [] },
  'm.room.history_visibility': { v1: ['history_visibility'], v6: ['history_visibility'], v8: ['history_visibility'], v9: ['history_visibility'], v11: ['history_visibility'] },
  'm.room.redaction': { v1: [], v6: [], v8: [], v9: [], v11: ['redacts'] },
  'm.room.message': { v1: [], v6: [], v8: [], v9: [], v11: [] },
};

/** Room version → its algorithm, checked against the table so both stay in step. */
const versions: [string, string][] = [
  ['1', 'v1'], ['2', 'v1'], ['3', 'v1'], ['4', 'v1'], ['5', 'v1'], ['6', 'v6'], ['7', 'v6'],
  ['8', 'v8'], ['9', 'v9'], ['10', 'v9'], ['11', 'v11'], ['12', 'v11'],
];

void test('every room version maps to the redaction algorithm the spec gives it', () => {
  for (const [id, alg] of versions) assert.equal(roomVersion(id).redaction, alg, `v${id}`);
});

void test('redaction keeps exactly the protected keys, for every type and version', () => {
  for (const [id, alg] of versions) {
    const rv = roomVersion(id);
    for (const [type, content] of Object.entries(contents)) {
      const redacted = redactEvent({ ...envelope, type, content }, rv);
      const top = alg === 'v11' ? V11_TOP : V1_TOP;
      assert.deepEqual(Object.keys(redacted).sort(), [...top, 'content'].sort(), `top level, ${type} v${id}`);
      assert.equal(redacted.type, type);
      const keep = expectedContent[type]?.[alg];
      assert.ok(keep !== undefined);
      if (keep === 'all') {
        assert.deepEqual(redacted.content, content, `${type} v${id}`);
        continue;
      }
      assert.deepEqual(Object.keys(redacted.content as JsonObject).sort(), [...keep].sort(), `${type} v${id}`);
    }
  }
});

void test('v11 member events keep only `signed` of third_party_invite', () => {
  const rv = roomVersion('11');
  const ev = { ...envelope, type: 'm.room.member', content: contents['m.room.member']! };
  assert.deepEqual(redactEvent(ev, rv).content, {
    membership: 'join',
    join_authorised_via_users_server: '@a:x',
    third_party_invite: { signed: { mxid: '@u:x', token: 't' } },
  });
  const noSigned = { ...ev, content: { membership: 'invite', third_party_invite: { display_name: 'd' } } };
  assert.deepEqual(redactEvent(noSigned, rv).content, { membership: 'invite', third_party_invite: {} });
  const notObject = { ...ev, content: { membership: 'invite', third_party_invite: 'x' } };
  assert.deepEqual(redactEvent(notObject, rv).content, { membership: 'invite' });
});

void test('values are kept as they are, including non-object content quirks', () => {
  const rv = roomVersion('1');
  assert.deepEqual(redactEvent({ type: 'm.room.member', content: 'oops' }, rv), { type: 'm.room.member', content: {} });
  assert.deepEqual(redactEvent({ type: 'm.room.message' }, rv), { type: 'm.room.message', content: {} });
  // a type named like an Object.prototype key is not special
  assert.deepEqual(redactEvent({ type: 'constructor', content: { a: 1 } }, rv).content, {});
  const original = { ...envelope, type: 'm.room.message', content: { body: 'x' } };
  redactEvent(original, rv);
  assert.deepEqual(original.content, { body: 'x' }, 'input not mutated');
});
