/**
 * The `filter` parameter of `/sync`, resolved through a bounded cache: a client long-polls with
 * the same filter back to back, and a stored filter is a call to the userapi (an HTTP request in
 * a polylith). Both kinds are safe to keep: an inline filter's meaning is its text, and a stored
 * filter never changes once it has its ID. The parsed filter is plain read-only data, shared by
 * every request that names it. Failures are not cached.
 */
import type { SyncUserAPI } from '../../userapi/api.js';
import type { SyncFilter } from '../filter/filter-types.js';
import { resolveSyncFilter } from '../filter/resolve-filter.js';

/** Filters kept: a few per active client is plenty. */
export const FILTER_CACHE_SIZE = 2048;

/** Resolves a request's `filter` parameter for `userId`. */
export type SyncFilterResolver = (param: string | undefined, userId: string) => Promise<SyncFilter>;

/** A resolver reading stored filters from `userapi`, remembering the last `capacity` filters. */
export function cachedSyncFilterResolver(userapi: Pick<SyncUserAPI, 'queryFilter'>, capacity = FILTER_CACHE_SIZE): SyncFilterResolver {
  // Insertion order is recency: a hit is moved to the end, the oldest entry goes first.
  const cache = new Map<string, SyncFilter>();
  return async (param, userId) => {
    const key = param === undefined || param === '' || param.startsWith('{') ? `{${param ?? ''}` : `${userId}\u0000${param}`;
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const filter = await resolveSyncFilter(param, async (filterId) => (await userapi.queryFilter({ userId, filterId })).filter);
    cache.set(key, filter);
    if (cache.size > capacity) cache.delete(cache.keys().next().value!);
    return filter;
  };
}
