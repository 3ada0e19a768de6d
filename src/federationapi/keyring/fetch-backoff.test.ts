import assert from 'node:assert/strict';
import test from 'node:test';
import { createFetchBackoff } from './fetch-backoff.js';

const policy = { firstFailureMs: 100, maxFailureMs: 350, afterSuccessMs: 10 };

void test('failures back off doubling up to the cap; a success resets', () => {
  const b = createFetchBackoff(policy);
  assert.deepEqual(b.check('s', 0), { allowed: true, lastFailed: false });
  b.failed('s', 0);
  assert.deepEqual(b.check('s', 99), { allowed: false, lastFailed: true });
  assert.deepEqual(b.check('s', 100), { allowed: true, lastFailed: true });
  b.failed('s', 100);
  assert.equal(b.check('s', 299).allowed, false);
  assert.equal(b.check('s', 300).allowed, true);
  b.failed('s', 300); // 400 → capped at 350
  assert.equal(b.check('s', 649).allowed, false);
  assert.equal(b.check('s', 650).allowed, true);
  b.succeeded('s', 650);
  assert.deepEqual(b.check('s', 655), { allowed: false, lastFailed: false });
  assert.deepEqual(b.check('s', 660), { allowed: true, lastFailed: false });
  b.failed('s', 660);
  assert.equal(b.check('s', 760).allowed, true, 'after a success the next failure starts over');
  assert.equal(b.check('other', 0).allowed, true, 'servers are independent');
});

void test('holds a bounded number of servers', () => {
  const b = createFetchBackoff(policy, 2);
  b.failed('a', 0);
  b.failed('b', 0);
  b.failed('c', 0);
  assert.deepEqual(b.check('a', 1), { allowed: true, lastFailed: false }, 'the oldest fell out');
  assert.equal(b.check('c', 1).allowed, false);
});
