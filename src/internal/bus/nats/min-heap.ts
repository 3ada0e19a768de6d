/** A binary min-heap: the dispatcher's "runnable key with the oldest head message first". */
export interface MinHeap<T> {
  push(item: T): void;
  /** Removes and returns the smallest item, or undefined when empty. */
  pop(): T | undefined;
  readonly size: number;
}

/** A heap ordered by `less(a, b)` (true when `a` must come out before `b`). */
export function createMinHeap<T>(less: (a: T, b: T) => boolean): MinHeap<T> {
  const items: T[] = [];
  const swap = (i: number, j: number) => {
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  };
  return {
    get size() {
      return items.length;
    },
    push(item) {
      items.push(item);
      let i = items.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!less(items[i] as T, items[parent] as T)) break;
        swap(i, parent);
        i = parent;
      }
    },
    pop() {
      const top = items[0];
      const last = items.pop();
      if (items.length === 0 || last === undefined) return top;
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && less(items[l] as T, items[m] as T)) m = l;
        if (r < items.length && less(items[r] as T, items[m] as T)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
      return top;
    },
  };
}
