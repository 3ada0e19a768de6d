/**
 * Token buckets per (class, key). The map is bounded: the least recently used keys are dropped
 * first, which can only ever make a limit more lenient, never lock someone out.
 */
import { MatrixError } from '../errors/matrix-error.js';

export interface BucketSettings {
  /** Tokens added per second. */
  readonly perSecond: number;
  /** Bucket size. */
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: Readonly<Record<string, BucketSettings>>,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token from the bucket, or throws M_LIMIT_EXCEEDED with the wait in `retry_after_ms`. */
  take(cls: string, key: string): void {
    const wait = this.tryTake(cls, key);
    if (wait > 0) throw MatrixError.limitExceeded(wait);
  }

  /**
   * The ms until the bucket has a token (0 when it has one now), taking nothing. For limits that
   * count only failures (failed logins): check before the attempt, take after a failure.
   */
  peek(cls: string, key: string): number {
    const s = this.settings[cls];
    if (!s) return 0;
    const b = this.buckets.get(`${cls}\u0000${key}`);
    if (!b) return 0;
    const tokens = Math.min(s.burst, b.tokens + ((this.now() - b.updated) / 1000) * s.perSecond);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / s.perSecond) * 1000);
  }

  /** Takes a token and returns 0, or returns the ms until one is available (taking nothing). */
  tryTake(cls: string, key: string): number {
    const s = this.settings[cls];
    if (!s) return 0;
    const id = `${cls}\u0000${key}`;
    const t = this.now();
    let b = this.buckets.get(id);
    if (b) {
      this.buckets.delete(id); // re-inserted below: keeps Map order = recency
      b.tokens = Math.min(s.burst, b.tokens + ((t - b.updated) / 1000) * s.perSecond);
      b.updated = t;
    } else {
      b = { tokens: s.burst, updated: t };
    }
    this.buckets.set(id, b);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / s.perSecond) * 1000);
  }
}
