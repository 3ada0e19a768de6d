/**
 * A least-recently-used map with a fixed capacity, for hot lookups (the roomserver's string ↔ NID
 * maps on the send path, the syncapi's per-user caches). Never an unbounded map (DESIGN §10).
 */

/** A bounded LRU map. */
export interface BoundedCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  /** Forgets `key` (an entry known to be stale). */
  delete(key: K): void;
  /** Forgets everything. */
  clear(): void;
  readonly size: number;
}

/** An empty cache holding at most `capacity` entries. */
export function boundedCache<K, V>(capacity: number): BoundedCache<K, V> {
  const map = new Map<K, V>();
  return {
    get(key) {
      const v = map.get(key);
      if (v !== undefined) {
        // Re-inserting moves the key to the young end of the Map's insertion order.
        map.delete(key);
        map.set(key, v);
      }
      return v;
    },
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      if (map.size > capacity) map.delete(map.keys().next().value as K);
    },
    delete(key) {
      map.delete(key);
    },
    clear() {
      map.clear();
    },
    get size() {
      return map.size;
    },
  };
}
