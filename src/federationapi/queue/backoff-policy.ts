/**
 * When to try a failing destination again, and when to give up on it. Pure: the clock is an
 * argument, so the schedule is tested without waiting.
 *
 * Failure n waits `initialMs · 2^(n-1)`, capped at `maxMs` (10 s, 20 s, 40 s … 1 h by default).
 * A destination that has failed without a single success for `blacklistAfterMs` (24 h) is
 * blacklisted: nothing is queued for it or sent to it until it shows it is alive by sending us a
 * request. Synapse and Dendrite do the same, so a server that vanished stops costing a request
 * an hour and a queue growing for ever.
 */
import type { DestinationHealth } from '../storage/queue-storage.js';

/** The backoff schedule. */
export interface BackoffPolicy {
  /** The wait after the first failure (ms). */
  readonly initialMs: number;
  /** The longest wait between attempts (ms). */
  readonly maxMs: number;
  /** How long failing without a success blacklists a destination (ms). */
  readonly blacklistAfterMs: number;
}

/** 10 s doubling up to an hour; blacklisted after a day of failures. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 10_000, maxMs: 3_600_000, blacklistAfterMs: 86_400_000 };

/** The wait after the `failureCount`-th consecutive failure (1-based). */
export function backoffDelay(failureCount: number, policy: BackoffPolicy): number {
  // The exponent is capped so 2^n stays finite however long a destination has been failing.
  const exp = Math.min(Math.max(0, failureCount - 1), 40);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exp);
}

/** A destination's health after one more failed transaction at `now`. */
export function healthAfterFailure(
  serverName: string,
  previous: DestinationHealth | null | undefined,
  now: number,
  policy: BackoffPolicy,
): DestinationHealth {
  const failureCount = (previous?.failureCount ?? 0) + 1;
  const failingSince = previous?.failingSince ?? now;
  const blacklisted = now - failingSince >= policy.blacklistAfterMs;
  return {
    serverName,
    failureCount,
    failingSince,
    retryAt: now + backoffDelay(failureCount, policy),
    blacklistedAt: blacklisted ? now : undefined,
  };
}
