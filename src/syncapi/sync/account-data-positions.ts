/**
 * Each syncing user's latest `account_data` position, kept in memory so the re-check a long-poll
 * makes before it parks, and every sync woken by something else, does not ask the userapi. The
 * userapi owns the data and the positions; its `OutputAccountData` messages carry the new
 * position, which the consumer passes to {@link AccountDataPositions.advance} before it wakes
 * the user. Bounded (LRU); a user not cached is read from the userapi once.
 */
import { boundedCache } from '../../internal/util/bounded-cache.js';
import type { SyncUserAPI } from '../../userapi/api.js';

/** The per-user positions. */
export interface AccountDataPositions {
  /** `userId`'s latest account-data position. */
  latest(userId: string): Promise<number>;
  /** A change of `userId`'s account data was committed at `position`. */
  advance(userId: string, position: number): void;
}

/** Positions read from `userapi`, keeping at most `capacity` users. */
export function createAccountDataPositions(userapi: Pick<SyncUserAPI, 'queryAccountData'>, capacity = 5000): AccountDataPositions {
  const cache = boundedCache<string, number>(capacity);
  // A read overlapping a change does not fill (it may have read before the change).
  let generation = 0;
  return {
    async latest(userId) {
      const cached = cache.get(userId);
      if (cached !== undefined) return cached;
      const started = generation;
      // No entry is positioned after the largest safe integer: this reads only the position.
      const { streamPosition } = await userapi.queryAccountData({ userId, since: Number.MAX_SAFE_INTEGER });
      if (started === generation) cache.set(userId, streamPosition);
      return streamPosition;
    },
    advance(userId, position) {
      generation++;
      const cached = cache.get(userId);
      if (cached !== undefined) cache.set(userId, Math.max(cached, position));
    },
  };
}
