import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('never runs more than the limit at once, and runs everything in arrival order', async () => {
    const s = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const tasks = Array.from({ length: 7 }, (_, i) =>
      s.run(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return i * 10;
      }),
    );
    assert.deepEqual(await Promise.all(tasks), [0, 10, 20, 30, 40, 50, 60]);
    assert.equal(peak, 2);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
  });

  it('frees the slot when a task fails', async () => {
    const s = new Semaphore(1);
    await assert.rejects(s.run(async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await s.run(async () => 'next'), 'next');
  });

  it('rejects a nonsensical limit', () => {
    assert.throws(() => new Semaphore(0), /positive integer/);
  });
});
