/**
 * A binary min-heap over a comparison function: Kahn's algorithm needs "the smallest of the
 * current candidates" repeatedly, and re-sorting the candidate list each step would be O(n² log n).
 */
export interface MinHeap<T> {
  /** Adds an item. O(log n). */
  push(item: T): void;
  /** Removes and returns the smallest item, or `undefined` when empty. O(log n). */
  pop(): T | undefined;
  /** The number of items held. */
  readonly size: number;
}

/** Creates an empty heap ordered by `compare` (negative when the first argument is smaller). */
export function createMinHeap<T>(compare: (a: T, b: T) => number): MinHeap<T> {
  const items: T[] = [];

  const swap = (i: number, j: number): void => {
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  };
  const less = (i: number, j: number): boolean => compare(items[i] as T, items[j] as T) < 0;

  const siftUp = (start: number): void => {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(i, parent)) return;
      swap(i, parent);
      i = parent;
    }
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < items.length && less(l, smallest)) smallest = l;
      if (r < items.length && less(r, smallest)) smallest = r;
      if (smallest === i) return;
      swap(i, smallest);
      i = smallest;
    }
  };

  return {
    push(item) {
      items.push(item);
      siftUp(items.length - 1);
    },
    pop() {
      if (items.length === 0) return undefined;
      const top = items[0] as T;
      const last = items.pop() as T;
      if (items.length > 0) {
        items[0] = last;
        siftDown(0);
      }
      return top;
    },
    get size() {
      return items.length;
    },
  };
}
