import assert from 'node:assert/strict';
import test from 'node:test';
import { createSingleFlight } from './single-flight.js';

void test('concurrent runs of one key share one task; later runs start a new one', async () => {
  const flight = createSingleFlight<number>();
  let started = 0;
  let release!: (v: number) => void;
  const task = () => {
    started++;
    return new Promise<number>((resolve) => (release = resolve));
  };
  const a = flight.run('k', task);
  const b = flight.run('k', task);
  const other = flight.run('j', async () => 7);
  assert.equal(started, 1);
  release(5);
  assert.deepEqual(await Promise.all([a, b, other]), [5, 5, 7]);
  const c = flight.run('k', task);
  assert.equal(started, 2);
  release(6);
  assert.equal(await c, 6);
});

void test('a failure reaches every waiter and does not stick', async () => {
  const flight = createSingleFlight<number>();
  const boom = () => Promise.reject(new Error('boom'));
  const results = await Promise.allSettled([flight.run('k', boom), flight.run('k', boom)]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal(await flight.run('k', async () => 1), 1);
});
