import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromObject } from '../../internal/config/load-config.js';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { createFailedLoginLimiter } from './failed-login-limiter.js';

const config = (rate_limiting: object) => configFromObject({ server_name: 'hs.test', rate_limiting });

describe('failed-login limiter', () => {
  it('allows the burst of failures, then refuses with 429 until the bucket refills', () => {
    let now = 0;
    const l = createFailedLoginLimiter(config({ login_per_second: 0.5, login_burst: 2 }), () => now);
    l.check('@a:hs.test');
    l.recordFailure('@a:hs.test');
    l.check('@a:hs.test');
    l.recordFailure('@a:hs.test');
    assert.throws(
      () => l.check('@a:hs.test'),
      (e: unknown) => e instanceof MatrixError && e.status === 429 && e.errcode === 'M_LIMIT_EXCEEDED' && e.extra.retry_after_ms === 2000,
    );
    l.check('@b:hs.test');
    now = 2000;
    l.check('@a:hs.test');
  });

  it('counts only failures: checks alone never use up attempts', () => {
    const l = createFailedLoginLimiter(config({ login_burst: 1 }), () => 0);
    for (let i = 0; i < 10; i++) l.check('@a:hs.test');
    l.recordFailure('@a:hs.test');
    assert.throws(() => l.check('@a:hs.test'), MatrixError);
  });

  it('never limits exempt users, nor anyone when rate limiting is off', () => {
    const exempt = createFailedLoginLimiter(config({ login_burst: 1, exempt_user_ids: ['@bot:hs.test'] }), () => 0);
    const off = createFailedLoginLimiter(config({ enabled: false, login_burst: 1 }), () => 0);
    for (const l of [exempt, off]) {
      for (let i = 0; i < 5; i++) l.recordFailure('@bot:hs.test');
      l.check('@bot:hs.test');
    }
  });
});
