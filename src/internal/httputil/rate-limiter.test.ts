import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../errors/matrix-error.js';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows the burst, then refills at the configured rate', () => {
    let now = 0;
    const rl = new RateLimiter({ login: { perSecond: 1, burst: 3 } }, 100, () => now);
    assert.deepEqual([0, 1, 2, 3].map(() => rl.tryTake('login', 'ip')), [0, 0, 0, 1000]);
    now = 500;
    assert.equal(rl.tryTake('login', 'ip'), 500);
    now = 1000;
    assert.equal(rl.tryTake('login', 'ip'), 0);
    assert.equal(rl.tryTake('login', 'other-ip'), 0, 'keys are independent');
    assert.equal(rl.tryTake('unconfigured', 'ip'), 0, 'classes without settings are not limited');
  });

  it('peeks at a bucket without taking from it', () => {
    let now = 0;
    const rl = new RateLimiter({ f: { perSecond: 0.5, burst: 2 } }, 100, () => now);
    assert.equal(rl.peek('f', 'u'), 0, 'an unknown key has a full bucket');
    assert.equal(rl.tryTake('f', 'u'), 0);
    assert.equal(rl.peek('f', 'u'), 0);
    assert.equal(rl.peek('f', 'u'), 0, 'peeking takes nothing');
    assert.equal(rl.tryTake('f', 'u'), 0);
    assert.equal(rl.peek('f', 'u'), 2000);
    now = 1500;
    assert.equal(rl.peek('f', 'u'), 500);
    now = 2000;
    assert.equal(rl.peek('f', 'u'), 0);
    assert.equal(rl.peek('unconfigured', 'u'), 0);
  });

  it('throws M_LIMIT_EXCEEDED', () => {
    const rl = new RateLimiter({ x: { perSecond: 1, burst: 1 } }, 100, () => 0);
    rl.take('x', 'k');
    assert.throws(() => rl.take('x', 'k'), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_LIMIT_EXCEEDED' && e.extra.retry_after_ms === 1000);
  });

  it('bounds its memory by dropping the least recently used keys', () => {
    const rl = new RateLimiter({ x: { perSecond: 0.001, burst: 1 } }, 2, () => 0);
    rl.take('x', 'a');
    rl.take('x', 'b');
    rl.take('x', 'c'); // evicts a
    assert.equal(rl.tryTake('x', 'a'), 0, 'a was forgotten, so it has a full bucket again');
    assert.ok(rl.tryTake('x', 'c') > 0);
  });
});
