import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WellKnownResult } from './fetch-well-known.js';
import { createWellKnownCache, WELL_KNOWN_INVALID_TTL_MS } from './well-known-cache.js';

function setup(results: WellKnownResult[]) {
  const clock = { t: 1_000_000 };
  const calls: string[] = [];
  const cache = createWellKnownCache({
    now: () => clock.t,
    maxEntries: 2,
    fetch: (host) => {
      calls.push(host);
      const next = results.shift();
      return next ? Promise.resolve(next) : Promise.reject(new Error('no more results'));
    },
  });
  return { clock, calls, cache };
}

describe('well-known cache', () => {
  it('keeps a delegation for its TTL, then fetches again', async () => {
    const { clock, calls, cache } = setup([{ kind: 'ok', server: 'd.test:1', ttlMs: 600_000 }, { kind: 'ok', server: 'e.test', ttlMs: 600_000 }]);
    assert.equal(await cache.lookup('a.test'), 'd.test:1');
    clock.t += 599_999;
    assert.equal(await cache.lookup('a.test'), 'd.test:1');
    clock.t += 1;
    assert.equal(await cache.lookup('a.test'), 'e.test');
    assert.deepEqual(calls, ['a.test', 'a.test']);
  });

  it('remembers an invalid answer for an hour', async () => {
    const { clock, calls, cache } = setup([{ kind: 'invalid', reason: 'HTTP 404' }, { kind: 'invalid', reason: 'HTTP 404' }]);
    assert.equal(await cache.lookup('a.test'), undefined);
    clock.t += WELL_KNOWN_INVALID_TTL_MS - 1;
    await cache.lookup('a.test');
    assert.equal(calls.length, 1);
    clock.t += 1;
    await cache.lookup('a.test');
    assert.equal(calls.length, 2);
  });

  it('backs off exponentially for an unreachable host (2, 4, 8 min …), reset by a success', async () => {
    const down: WellKnownResult = { kind: 'unreachable', reason: 'ECONNREFUSED' };
    const { clock, calls, cache } = setup([down, down, down, { kind: 'ok', server: 'd.test', ttlMs: 86_400_000 }]);
    const waits: number[] = [];
    let last = clock.t;
    await cache.lookup('a.test');
    while (calls.length < 4) {
      clock.t += 1000;
      const before = calls.length;
      await cache.lookup('a.test');
      if (calls.length > before) {
        waits.push(Math.round((clock.t - last) / 60_000));
        last = clock.t;
      }
    }
    assert.deepEqual(waits, [2, 4, 8]);
    assert.equal(await cache.lookup('a.test'), 'd.test');
  });

  it('shares one fetch between concurrent lookups and evicts the oldest host beyond its bound', async () => {
    const ok = (server: string): WellKnownResult => ({ kind: 'ok', server, ttlMs: 600_000 });
    const { calls, cache } = setup([ok('1'), ok('2'), ok('3'), ok('4')]);
    assert.deepEqual(await Promise.all([cache.lookup('a'), cache.lookup('a')]), ['1', '1']);
    await cache.lookup('b');
    await cache.lookup('c');
    assert.equal(await cache.lookup('a'), '4', 'a was evicted');
    assert.deepEqual(calls, ['a', 'b', 'c', 'a']);
  });
});
