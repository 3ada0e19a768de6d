import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMinHeap } from './min-heap.js';
import { seededRandom } from './test-random-room.js';

void describe('createMinHeap', () => {
  void it('pops items in ascending order', () => {
    const rnd = seededRandom(7);
    const xs = Array.from({ length: 500 }, () => Math.floor(rnd() * 100));
    const heap = createMinHeap<number>((a, b) => a - b);
    for (const x of xs) heap.push(x);
    assert.equal(heap.size, 500);
    const out: number[] = [];
    for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x);
    assert.deepEqual(out, [...xs].sort((a, b) => a - b));
    assert.equal(heap.size, 0);
  });

  void it('interleaves pushes and pops', () => {
    const heap = createMinHeap<number>((a, b) => a - b);
    heap.push(5);
    heap.push(3);
    assert.equal(heap.pop(), 3);
    heap.push(1);
    heap.push(4);
    assert.deepEqual([heap.pop(), heap.pop(), heap.pop(), heap.pop()], [1, 4, 5, undefined]);
  });
});
