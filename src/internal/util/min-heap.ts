/**
 * A binary min-heap over a comparison function, for "the smallest of the current candidates"
 * asked repeatedly while candidates keep arriving: state resolution's Kahn ordering (re-sorting
 * the ready list each step would be O(n² log n)) and the NATS key dispatcher's "runnable key with
 * the oldest head message first".
 *
 * Sifting moves a hole rather than swapping, so each level costs one write instead of two; it is
 * on state resolution's hot path.
 */

/** A heap of `T`, smallest first by the comparison it was created with. */
export interface MinHeap<T> {
  /** Adds an item. O(log n). */
  push(item: T): void;
  /** Removes and returns the smallest item, or `undefined` when empty. O(log n). */
  pop(): T | undefined;
  /** The number of items held. */
  readonly size: number;
}

/**
 * Creates an empty heap ordered by `compare` (negative when the first argument must come out
 * first). Items that compare equal come out in no particular order.
 */
export function createMinHeap<T>(compare: (a: T, b: T) => number): MinHeap<T> {
  const items: T[] = [];
  return {
    get size() {
      return items.length;
    },
    push(item) {
      let i = items.length;
      items.push(item);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const p = items[parent] as T;
        if (compare(item, p) >= 0) break;
        items[i] = p;
        i = parent;
      }
      items[i] = item;
    },
    pop() {
      if (items.length === 0) return undefined;
      const top = items[0] as T;
      const last = items.pop() as T;
      const n = items.length;
      if (n === 0) return top;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && compare(items[child + 1] as T, items[child] as T) < 0) child++;
        const c = items[child] as T;
        if (compare(c, last) >= 0) break;
        items[i] = c;
        i = child;
      }
      items[i] = last;
      return top;
    },
  };
}
