import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createRoomQueue } from './room-queue.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('runs one room serially in order, rooms in parallel, and forgets drained rooms', async () => {
  const q = createRoomQueue();
  const log: string[] = [];
  const task = (room: string, n: number, ms: number) => () =>
    (async () => {
      log.push(`${room}${n}+`);
      await tick(ms);
      log.push(`${room}${n}-`);
      return n;
    })();
  const all = Promise.all([q.run('a', task('a', 1, 20)), q.run('a', task('a', 2, 1)), q.run('b', task('b', 1, 5))]);
  assert.equal(q.activeRooms, 2);
  assert.deepEqual(await all, [1, 2, 1]);
  assert.deepEqual(log, ['a1+', 'b1+', 'b1-', 'a1-', 'a2+', 'a2-']);
  await tick(0);
  assert.equal(q.activeRooms, 0);
});

it('a failed task rejects its caller only; the next task still runs', async () => {
  const q = createRoomQueue();
  const failed = q.run('a', () => Promise.reject(new Error('boom')));
  const next = q.run('a', async () => 'ok');
  await assert.rejects(failed, /boom/);
  assert.equal(await next, 'ok');
  await tick(0);
  assert.equal(q.activeRooms, 0);
});
