/**
 * The servers joined to each room, as the sender last read them from the roomserver. Every
 * event of a big room would otherwise cost a `select distinct` over its whole membership
 * (1.3 ms per event in a room of 10,000). The roomserver consumer sees each room's events in
 * order, so it drops a room's entry whenever membership may have changed: a member event, or
 * any state that entered besides the event itself (state resolution). The EDU consumers read
 * the same entries; at worst one typing notice misses a server that joined a moment before.
 */
import { boundedCache } from '../../internal/util/bounded-cache.js';

/** The cache. */
export interface JoinedServersCache {
  /** The room's joined servers (ours included), loading them on a miss. */
  get(roomId: string, load: () => Promise<readonly string[]>): Promise<ReadonlySet<string>>;
  /** Forgets the room: its membership may have changed. */
  invalidate(roomId: string): void;
}

/** A cache of at most `rooms` rooms. */
export function createJoinedServersCache(rooms = 2_000): JoinedServersCache {
  const cache = boundedCache<string, ReadonlySet<string>>(rooms);
  // A load racing an invalidation (of any room: one counter keeps this bounded) must not store
  // what it read before the change.
  let invalidations = 0;
  return {
    async get(roomId, load) {
      const hit = cache.get(roomId);
      if (hit) return hit;
      const seen = invalidations;
      const found = new Set(await load());
      if (invalidations === seen) cache.set(roomId, found);
      return found;
    },
    invalidate(roomId) {
      cache.delete(roomId);
      invalidations++;
    },
  };
}
