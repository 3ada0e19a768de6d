import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Fifo } from './fifo.js';

it('returns items in insertion order across compactions', () => {
  const q = new Fifo<number>();
  const out: number[] = [];
  for (let i = 0; i < 5000; i++) {
    q.push(i);
    if (i % 3 === 0) out.push(q.shift()!);
  }
  assert.equal(q.peek(), out.length);
  while (q.length > 0) out.push(q.shift()!);
  assert.deepEqual(out, Array.from({ length: 5000 }, (_, i) => i));
  assert.equal(q.shift(), undefined);
  assert.equal(q.peek(), undefined);
});
