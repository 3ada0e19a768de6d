import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createPublishBatcher } from './publish-batcher.js';

it('groups publishes that arrive during a write into the next write, in order', async () => {
  const writes: number[][] = [];
  const batcher = createPublishBatcher<number>(async (rows) => {
    writes.push([...rows]);
    await new Promise((r) => setTimeout(r, 5));
  }, 4);
  const done = [[1], [2, 3], [4], [5], [6, 7, 8, 9, 10], [11]].map((rows) => batcher.enqueue(rows));
  await Promise.all(done);
  // The first goes alone; the rest are grouped up to 4 rows, a caller never split.
  assert.deepEqual(writes, [[1], [2, 3, 4, 5], [6, 7, 8, 9, 10], [11]]);
  await batcher.idle();
});

it('fails only the callers whose write failed', async () => {
  let n = 0;
  const batcher = createPublishBatcher<string>(async (rows) => {
    n++;
    if (rows.includes('bad')) throw new Error('disk full');
  }, 1);
  const results = await Promise.allSettled([batcher.enqueue(['ok1']), batcher.enqueue(['bad']), batcher.enqueue(['ok2'])]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.equal(n, 3);
  assert.deepEqual(await batcher.enqueue([]), undefined);
});
