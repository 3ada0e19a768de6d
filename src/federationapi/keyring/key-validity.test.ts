import assert from 'node:assert/strict';
import test from 'node:test';
import { roomVersion } from '../../matrix/room-version.js';
import { MAX_KEY_VALIDITY_MS } from '../../matrix/server-keys.js';
import { isKeyValidForEvent, keyRequirementForEvent, keySatisfies, keyValidity } from './key-validity.js';

const DAY = 24 * 60 * 60 * 1000;

void test('keyValidity caps a current key at seven days after fetching and uses expired_ts for old keys', () => {
  assert.deepEqual(keyValidity(1_000, 0, undefined), { validUntilTs: 1_000, old: false });
  assert.deepEqual(keyValidity(100 * DAY, 5, undefined), { validUntilTs: 5 + MAX_KEY_VALIDITY_MS, old: false });
  assert.deepEqual(keyValidity(100 * DAY, 5, 777), { validUntilTs: 777, old: true });
});

void test('keySatisfies: current keys by validity, old keys only with a signing time', () => {
  const current = { validUntilTs: 1_000, old: false };
  assert.equal(keySatisfies(current, { atTs: undefined, minimumValidUntilTs: 1_000 }), true);
  assert.equal(keySatisfies(current, { atTs: undefined, minimumValidUntilTs: 1_001 }), false);
  const old = { validUntilTs: 500, old: true };
  assert.equal(keySatisfies(old, { atTs: undefined, minimumValidUntilTs: 0 }), false, 'old keys never sign requests');
  assert.equal(keySatisfies(old, { atTs: 500, minimumValidUntilTs: 500 }), true);
  assert.equal(keySatisfies(old, { atTs: 501, minimumValidUntilTs: 501 }), false);
});

void test('room versions 1–4 ignore valid_until_ts; 5+ need it at least origin_server_ts', () => {
  const key = { validUntilTs: 1_000, old: false };
  for (const v of ['1', '2', '3', '4']) {
    assert.deepEqual(keyRequirementForEvent(roomVersion(v), 5_000), { atTs: 5_000, minimumValidUntilTs: 0 });
    assert.equal(isKeyValidForEvent(roomVersion(v), key, 5_000), true, `v${v}`);
  }
  for (const v of ['5', '6', '10', '11', '12']) {
    assert.deepEqual(keyRequirementForEvent(roomVersion(v), 5_000), { atTs: 5_000, minimumValidUntilTs: 5_000 });
    assert.equal(isKeyValidForEvent(roomVersion(v), key, 1_000), true, `v${v} at the limit`);
    assert.equal(isKeyValidForEvent(roomVersion(v), key, 1_001), false, `v${v} after the limit`);
  }
});

void test('v5: a key published valid for a year is trusted for seven days after fetching only', () => {
  const fetchedAt = 10 * DAY;
  const key = keyValidity(fetchedAt + 365 * DAY, fetchedAt, undefined);
  const v5 = roomVersion('5');
  assert.equal(isKeyValidForEvent(v5, key, fetchedAt + 7 * DAY), true);
  assert.equal(isKeyValidForEvent(v5, key, fetchedAt + 7 * DAY + 1), false);
  assert.equal(isKeyValidForEvent(roomVersion('4'), key, fetchedAt + 300 * DAY), true);
});

void test('old keys check events sent before they expired (v5+), any event in v1–4', () => {
  const old = keyValidity(0, 0, 2_000);
  assert.equal(isKeyValidForEvent(roomVersion('11'), old, 1_999), true);
  assert.equal(isKeyValidForEvent(roomVersion('11'), old, 2_001), false);
  assert.equal(isKeyValidForEvent(roomVersion('3'), old, 9_999), true);
});
