import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidUserId, parseUserId, userIdServerName } from './user-id.js';
import { checkNewUserLocalpart } from './localpart.js';

void test('current-grammar user IDs parse', () => {
  for (const [id, localpart, serverName] of [
    ['@alice:example.org', 'alice', 'example.org'],
    ['@a.b_c=d-e/f+g:example.org:8448', 'a.b_c=d-e/f+g', 'example.org:8448'],
    ['@0:[::1]', '0', '[::1]'],
  ] as const) {
    assert.deepEqual(parseUserId(id), { ok: true, value: { localpart, serverName, current: true, compliant: true } });
  }
});

void test('historical localparts only with allowHistorical, flagged as such', () => {
  const historical: [string, string, boolean][] = [
    ['@Alice:example.org', 'Alice', true],
    ['@a!b#c:example.org', 'a!b#c', true],
    ['@:example.org', '', false],
    ['@dé:example.org', 'dé', false],
    ['@a b:example.org', 'a b', false],
    ['@\u0007:example.org', '\u0007', false],
  ];
  for (const [id, localpart, compliant] of historical) {
    assert.equal(isValidUserId(id), false, id);
    assert.deepEqual(parseUserId(id, { allowHistorical: true }), {
      ok: true,
      value: { localpart, serverName: 'example.org', current: false, compliant },
    });
  }
});

void test('invalid user IDs are refused with reasons, even historically', () => {
  const cases: [string, RegExp][] = [
    ['alice:example.org', /starts with "@"/],
    ['@alice', /@localpart:server/],
    ['@alice:', /invalid server name/],
    ['@alice:exa_mple', /invalid server name/],
    ['@a\u0000b:example.org', /contains NUL/],
    ['@a\ud800:example.org', /lone surrogate/],
    [`@${'a'.repeat(243)}:example.org`, /at most 255 bytes/],
  ];
  for (const [id, reason] of cases) {
    const r = parseUserId(id, { allowHistorical: true });
    assert.equal(r.ok, false, id);
    if (!r.ok) assert.match(r.reason, reason, id);
  }
  // exactly 255 bytes is fine; multi-byte characters count as bytes
  assert.equal(isValidUserId(`@${'a'.repeat(242)}:example.org`), true);
  assert.equal(isValidUserId(`@${'é'.repeat(122)}:example.org`, { allowHistorical: true }), false);
});

void test('userIdServerName', () => {
  assert.equal(userIdServerName('@Bob:example.org:8448'), 'example.org:8448');
  assert.equal(userIdServerName('bob'), undefined);
});

void test('registration localparts: lower case, allowed characters, length', () => {
  assert.deepEqual(checkNewUserLocalpart('alice.b-c_d=e/f+g', 'example.org'), { ok: true, value: '@alice.b-c_d=e/f+g:example.org' });
  const cases: [string, RegExp][] = [
    ['', /must not be empty/],
    ['Alice', /must be lower case/],
    ['al ice', /may only contain/],
    ['al:ice', /may only contain/],
    ['élise', /may only contain/],
    ['a'.repeat(250), /longer than 255 bytes/],
  ];
  for (const [localpart, reason] of cases) {
    const r = checkNewUserLocalpart(localpart, 'example.org');
    assert.equal(r.ok, false, localpart);
    if (!r.ok) assert.match(r.reason, reason, localpart);
  }
});
