/**
 * Limits failed password attempts per user, whichever IP they come from, so an attacker spread
 * over many addresses still gets only the configured burst of guesses per account. Only failures
 * count: a user who types the right password is never slowed down by someone else's attempts
 * until those attempts have failed.
 */
import type { LoadedConfig } from '../../internal/config/load-config.js';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { RateLimiter } from '../../internal/httputil/rate-limiter.js';

const CLASS = 'failed-login';

export interface FailedLoginLimiter {
  /** Throws M_LIMIT_EXCEEDED (429, `retry_after_ms`) when the user has no attempts left. */
  check(userId: string): void;
  /** Counts one failed attempt against the user. */
  recordFailure(userId: string): void;
}

/** A limiter with the config's login budget, or one that never limits when rate limiting is off. */
export function createFailedLoginLimiter(config: LoadedConfig, now: () => number = Date.now): FailedLoginLimiter {
  const rl = config.rate_limiting;
  if (!rl.enabled) return { check: () => {}, recordFailure: () => {} };
  const exempt = new Set(rl.exempt_user_ids);
  const limiter = new RateLimiter({ [CLASS]: { perSecond: rl.login_per_second, burst: rl.login_burst } }, 100_000, now);
  return {
    check(userId) {
      if (exempt.has(userId)) return;
      const wait = limiter.peek(CLASS, userId);
      if (wait > 0) throw MatrixError.limitExceeded(wait, 'Too many failed login attempts');
    },
    recordFailure(userId) {
      if (!exempt.has(userId)) limiter.tryTake(CLASS, userId);
    },
  };
}
