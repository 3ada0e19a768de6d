import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMinHeap } from './min-heap.js';

describe('createMinHeap', () => {
  it('pops items smallest first, whatever the push order', () => {
    const h = createMinHeap<number>((a, b) => a < b);
    const input = [5, 3, 9, 1, 7, 3, 8, 2, 6, 4, 0];
    for (const n of input) h.push(n);
    assert.equal(h.size, input.length);
    const out: number[] = [];
    for (let n = h.pop(); n !== undefined; n = h.pop()) out.push(n);
    assert.deepEqual(out, [0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(h.size, 0);
    assert.equal(h.pop(), undefined);
  });

  it('stays ordered when pushes and pops interleave', () => {
    const h = createMinHeap<number>((a, b) => a < b);
    const seen: number[] = [];
    let x = 12345;
    for (let i = 0; i < 500; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      h.push(x % 1000);
      if (i % 3 === 2) seen.push(h.pop()!);
    }
    while (h.size > 0) seen.push(h.pop()!);
    assert.equal(seen.length, 500);
    // Every pop returned the minimum of what was in the heap: check against a sorted model.
    const model: number[] = [];
    x = 12345;
    const expected: number[] = [];
    for (let i = 0; i < 500; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      model.push(x % 1000);
      model.sort((a, b) => a - b);
      if (i % 3 === 2) expected.push(model.shift()!);
    }
    expected.push(...model);
    assert.deepEqual(seen, expected);
  });
});
