import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, DEFAULT_BACKOFF, healthAfterFailure } from './backoff-policy.js';

describe('backoff policy', () => {
  it('defaults to 10 s doubling, capped at an hour, blacklisting after a day', () => {
    assert.deepEqual(DEFAULT_BACKOFF, { initialMs: 10_000, maxMs: 3_600_000, blacklistAfterMs: 86_400_000 });
    assert.deepEqual([1, 2, 3, 4, 9, 10, 50, 10_000].map((n) => backoffDelay(n, DEFAULT_BACKOFF)), [
      10_000, 20_000, 40_000, 80_000, 2_560_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
  });

  it('counts failures from the first one and blacklists once failing for blacklistAfterMs', () => {
    const policy = { initialMs: 100, maxMs: 1_000, blacklistAfterMs: 5_000 };
    const first = healthAfterFailure('x.test', null, 10_000, policy);
    assert.deepEqual(first, { serverName: 'x.test', failureCount: 1, failingSince: 10_000, retryAt: 10_100, blacklistedAt: undefined });
    const second = healthAfterFailure('x.test', first, 10_100, policy);
    assert.deepEqual(second, { serverName: 'x.test', failureCount: 2, failingSince: 10_000, retryAt: 10_300, blacklistedAt: undefined });
    const almost = healthAfterFailure('x.test', { ...second, failureCount: 9 }, 14_999, policy);
    assert.deepEqual(almost, { serverName: 'x.test', failureCount: 10, failingSince: 10_000, retryAt: 15_999, blacklistedAt: undefined });
    const dead = healthAfterFailure('x.test', almost, 15_000, policy);
    assert.deepEqual(dead, { serverName: 'x.test', failureCount: 11, failingSince: 10_000, retryAt: 16_000, blacklistedAt: 15_000 });
  });
});
