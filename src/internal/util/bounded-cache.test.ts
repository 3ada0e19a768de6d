/** The bounded cache: never over capacity, and what was read lately outlives what was not. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { boundedCache } from './bounded-cache.js';

it('drops the oldest entry when nothing was read, and never holds more than its capacity', () => {
  const c = boundedCache<string, number>(3);
  for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) c.set(k, i);
  assert.equal(c.size, 3);
  assert.equal(c.get('a'), undefined);
  assert.deepEqual(['b', 'c', 'd'].map((k) => c.get(k)), [1, 2, 3]);
});

it('keeps an entry read since it was stored over older unread ones', () => {
  const c = boundedCache<string, number>(3);
  c.set('a', 1);
  c.set('b', 2);
  c.set('c', 3);
  assert.equal(c.get('a'), 1);
  c.set('d', 4); // b is the oldest unread
  assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => c.get(k)), [1, undefined, 3, 4]);
  assert.equal(c.size, 3);
});

it('drops the least recently passed-over entry when every entry was read', () => {
  const c = boundedCache<string, number>(2);
  c.set('a', 1);
  c.set('b', 2);
  c.get('a');
  c.get('b');
  c.set('c', 3);
  assert.deepEqual(['a', 'b', 'c'].map((k) => c.get(k)), [undefined, 2, 3]);
});

it('replaces a value in place, forgets on delete and clear, and holds nothing at capacity 0', () => {
  const c = boundedCache<string, number>(2);
  c.set('a', 1);
  c.set('a', 2);
  assert.equal(c.size, 1);
  assert.equal(c.get('a'), 2);
  c.set('b', 3);
  c.delete('a');
  assert.equal(c.get('a'), undefined);
  assert.equal(c.size, 1);
  c.clear();
  assert.equal(c.size, 0);
  const none = boundedCache<string, number>(0);
  none.set('x', 1);
  assert.equal(none.get('x'), undefined);
  assert.equal(none.size, 0);
});

it('stays bounded under a long mixed workload', () => {
  const c = boundedCache<number, number>(100);
  for (let i = 0; i < 10_000; i++) {
    c.set(i, i);
    if (i % 3 === 0) c.get(i - 50);
    assert.ok(c.size <= 100);
  }
  assert.equal(c.get(9_999), 9_999);
});
