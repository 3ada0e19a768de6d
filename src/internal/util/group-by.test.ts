import assert from 'node:assert/strict';
import { it } from 'node:test';
import { groupBy } from './group-by.js';

it('groups by key, keeping the order of the items in each group and of first appearance', () => {
  const grouped = groupBy(['apple', 'bob', 'avocado', 'cat', 'banana'], (s) => s[0]);
  assert.deepEqual([...grouped], [
    ['a', ['apple', 'avocado']],
    ['b', ['bob', 'banana']],
    ['c', ['cat']],
  ]);
  assert.deepEqual(groupBy([], (x) => x), new Map());
});
