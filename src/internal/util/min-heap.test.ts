import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMinHeap } from './min-heap.js';

/** A deterministic sequence of integers in [0, bound). */
function lcg(seed: number, bound: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % bound;
  };
}

describe('createMinHeap', () => {
  it('pops items smallest first, duplicates included, whatever the push order', () => {
    const h = createMinHeap<number>((a, b) => a - b);
    const input = [5, 3, 9, 1, 7, 3, 8, 2, 6, 4, 0];
    for (const n of input) h.push(n);
    assert.equal(h.size, input.length);
    const out: number[] = [];
    for (let n = h.pop(); n !== undefined; n = h.pop()) out.push(n);
    assert.deepEqual(out, [0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(h.size, 0);
    assert.equal(h.pop(), undefined);
  });

  it('sorts a large random input', () => {
    const next = lcg(7, 100);
    const xs = Array.from({ length: 500 }, next);
    const h = createMinHeap<number>((a, b) => a - b);
    for (const x of xs) h.push(x);
    assert.equal(h.size, 500);
    const out: number[] = [];
    for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x);
    assert.deepEqual(out, [...xs].sort((a, b) => a - b));
  });

  it('returns the minimum of what it holds at every pop when pushes and pops interleave', () => {
    const h = createMinHeap<number>((a, b) => a - b);
    const model: number[] = [];
    const seen: number[] = [];
    const expected: number[] = [];
    const next = lcg(12345, 1000);
    for (let i = 0; i < 500; i++) {
      const x = next();
      h.push(x);
      model.push(x);
      if (i % 3 === 2) {
        seen.push(h.pop()!);
        model.sort((a, b) => a - b);
        expected.push(model.shift()!);
      }
    }
    while (h.size > 0) seen.push(h.pop()!);
    expected.push(...model.sort((a, b) => a - b));
    assert.equal(seen.length, 500);
    assert.deepEqual(seen, expected);
  });

  it('orders any items by the comparison given (here: highest power first, then name)', () => {
    const h = createMinHeap<{ name: string; power: number }>((a, b) => b.power - a.power || (a.name < b.name ? -1 : 1));
    for (const [name, power] of [['c', 50], ['a', 0], ['b', 100], ['d', 50]] as const) h.push({ name, power });
    assert.deepEqual([h.pop(), h.pop(), h.pop(), h.pop(), h.pop()].map((x) => x?.name), ['b', 'c', 'd', 'a', undefined]);
  });

  it('holds a single item and empties again', () => {
    const h = createMinHeap<string>((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    h.push('only');
    assert.equal(h.size, 1);
    assert.equal(h.pop(), 'only');
    assert.equal(h.size, 0);
    h.push('again');
    assert.equal(h.pop(), 'again');
  });
});
