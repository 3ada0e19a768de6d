/**
 * A first-in first-out queue with O(1) push and shift. `Array.prototype.shift` is O(n), which
 * turns a consumer's backlog of thousands of messages into quadratic work.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  /** Number of queued items. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends at the tail. */
  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes and returns the oldest item; undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T; // let the item be collected
    this.head++;
    // Compact once the dead prefix dominates, so memory follows the live length.
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes everything. */
  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
