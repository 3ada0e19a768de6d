/**
 * A map with a fixed capacity dropping entries not used lately (CLOCK, close to LRU), for hot lookups (the roomserver's string ↔ NID
 * maps on the send path, the syncapi's per-user caches). Never an unbounded map (DESIGN §10).
 */

/** A bounded map that drops what was not used lately. */
export interface BoundedCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): void;
  /** Forgets `key` (an entry known to be stale). */
  delete(key: K): void;
  /** Forgets everything. */
  clear(): void;
  readonly size: number;
}

/** An entry and whether it was read since it last reached the young end. */
interface Slot<V> {
  value: V;
  referenced: boolean;
}

/**
 * An empty cache holding at most `capacity` entries.
 *
 * Recency is kept CLOCK-style: a read only marks its entry, and the Map's insertion order is
 * touched when an entry must go — from the old end, a marked entry is unmarked and moved to the
 * young end, the first unmarked one is dropped. That evicts like LRU in practice (an entry read
 * since it was last passed over stays), while a hit costs one lookup: re-inserting on every read
 * (a Map delete and set) cost about 1 µs per hit on the send path's tens of hits per event.
 */
export function boundedCache<K, V>(capacity: number): BoundedCache<K, V> {
  const map = new Map<K, Slot<V>>();
  const evictOne = () => {
    for (const [key, slot] of map) {
      map.delete(key);
      if (!slot.referenced) return;
      slot.referenced = false;
      map.set(key, slot);
    }
  };
  return {
    get(key) {
      const slot = map.get(key);
      if (slot === undefined) return undefined;
      slot.referenced = true;
      return slot.value;
    },
    set(key, value) {
      const slot = map.get(key);
      if (slot !== undefined) {
        slot.value = value;
        slot.referenced = true;
        return;
      }
      if (capacity <= 0) return;
      if (map.size >= capacity) evictOne();
      map.set(key, { value, referenced: false });
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
