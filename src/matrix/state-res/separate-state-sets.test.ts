import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { separateStateSets } from './separate-state-sets.js';

const s = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o));

void describe('separateStateSets', () => {
  const sets = [s({ a: '$1', b: '$2', c: '$3' }), s({ a: '$1', b: '$4' }), s({ a: '$1', b: '$5', c: '$3' })];

  void it('v2: a key missing from one set is conflicted', () => {
    const { unconflicted, conflicted } = separateStateSets(sets, 'v2');
    assert.deepEqual(unconflicted, s({ a: '$1' }));
    assert.deepEqual(conflicted, new Map([['b', new Set(['$2', '$4', '$5'])], ['c', new Set(['$3'])]]));
  });

  void it('v1: a key missing from one set is unconflicted', () => {
    const { unconflicted, conflicted } = separateStateSets(sets, 'v1');
    assert.deepEqual(unconflicted, s({ a: '$1', c: '$3' }));
    assert.deepEqual(conflicted, new Map([['b', new Set(['$2', '$4', '$5'])]]));
  });

  void it('counts a repeated value once', () => {
    const { conflicted } = separateStateSets([s({ b: '$2' }), s({ b: '$4' }), s({ b: '$2' })], 'v2');
    assert.deepEqual(conflicted, new Map([['b', new Set(['$2', '$4'])]]));
  });
});
