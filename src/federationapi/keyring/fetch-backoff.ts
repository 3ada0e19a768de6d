/**
 * When the key ring may ask the network about a server again. After a failure it waits, doubling
 * each time up to a cap, so a dead server (or one an attacker names in a flood of requests) is not
 * hammered; after a success it still waits a little, so requests naming unknown key IDs cannot
 * make us refetch on every one. Bounded: servers not seen for a while fall out.
 */
import { boundedCache } from '../../internal/util/bounded-cache.js';

/** Delays of {@link createFetchBackoff}, in ms. */
export interface BackoffPolicy {
  /** Wait after the first failure; doubled for each further one. */
  readonly firstFailureMs: number;
  /** Longest wait after failures. */
  readonly maxFailureMs: number;
  /** Wait after a successful fetch before the next one. */
  readonly afterSuccessMs: number;
}

/** Defaults: 30 s after a failure doubling to 10 min; 10 s between successful fetches. */
export const DEFAULT_BACKOFF: BackoffPolicy = { firstFailureMs: 30_000, maxFailureMs: 600_000, afterSuccessMs: 10_000 };

/** Per-server fetch state. */
export interface FetchBackoff {
  /** Whether a fetch may start now; if not, whether the last one failed. */
  check(serverName: string, now: number): { readonly allowed: boolean; readonly lastFailed: boolean };
  failed(serverName: string, now: number): void;
  succeeded(serverName: string, now: number): void;
}

interface State {
  readonly nextAt: number;
  readonly failures: number;
}

/** Tracks up to `capacity` servers. */
export function createFetchBackoff(policy: BackoffPolicy = DEFAULT_BACKOFF, capacity = 10_000): FetchBackoff {
  const states = boundedCache<string, State>(capacity);
  return {
    check(serverName, now) {
      const s = states.get(serverName);
      return { allowed: s === undefined || now >= s.nextAt, lastFailed: (s?.failures ?? 0) > 0 };
    },
    failed(serverName, now) {
      const failures = (states.get(serverName)?.failures ?? 0) + 1;
      const delay = Math.min(policy.firstFailureMs * 2 ** Math.min(failures - 1, 30), policy.maxFailureMs);
      states.set(serverName, { nextAt: now + delay, failures });
    },
    succeeded(serverName, now) {
      states.set(serverName, { nextAt: now + policy.afterSuccessMs, failures: 0 });
    },
  };
}
