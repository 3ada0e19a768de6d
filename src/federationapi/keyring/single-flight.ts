/**
 * Coalescing: while a task for a key runs, later callers for the same key share its promise
 * instead of starting another (ten events from one server arriving together fetch its keys once).
 * Entries live only while their task runs, so the map is bounded by the work in flight.
 */

/** Runs at most one task per key at a time. */
export interface SingleFlight<T> {
  run(key: string, task: () => Promise<T>): Promise<T>;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const running = new Map<string, Promise<T>>();
  return {
    run(key, task) {
      const existing = running.get(key);
      if (existing) return existing;
      const p = task().finally(() => running.delete(key));
      running.set(key, p);
      return p;
    },
  };
}
