/**
 * A counting semaphore over transactions in flight. Each holds up to a full transaction in
 * memory, so after a restart with thousands of destinations pending, this (not the number of
 * destinations) bounds memory and open connections.
 */

/** Slots taken and given back by destination workers. */
export interface TransactionSlots {
  /** Resolves when a slot is free; the caller must `release()` it exactly once. */
  acquire(): Promise<void>;
  release(): void;
}

/** `limit` slots, handed out first come, first served. */
export function createTransactionSlots(limit: number): TransactionSlots {
  let free = Math.max(1, limit);
  const waiting: Array<() => void> = [];
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      // The slot passes straight to the next waiter, so a newcomer cannot jump the line.
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}
