/**
 * The number of events one inbound transaction may make us fetch from its origin. A malicious
 * (or confused) server could otherwise send events whose gaps lead us to fetch without end;
 * once spent, further gaps in that transaction are reported as errors instead of filled.
 */

/** A counter shared by every room of a transaction. */
export interface FetchBudget {
  /** Takes `n` events from the budget; false (taking nothing) when fewer than `n` are left. */
  take(n: number): boolean;
  /** Events still allowed. */
  readonly remaining: number;
}

/** The default budget: enough to fill a few gaps or the state of a mid-sized room. */
export const DEFAULT_MAX_FETCHED_EVENTS = 500;

/** A budget of `max` events. */
export function createFetchBudget(max: number): FetchBudget {
  let remaining = max;
  return {
    take(n) {
      if (n > remaining) return false;
      remaining -= n;
      return true;
    },
    get remaining() {
      return remaining;
    },
  };
}
