/**
 * A bounded first-in first-out buffer for the audit writer: pushing onto a
 * full ring drops its oldest entry, and a batch that could not be written
 * goes back in front of newer ones. Every operation is O(1) per entry, so a
 * store outage under load costs no array shifting on the request path.
 */
export class AuditRing<T> {
  readonly #items: (T | undefined)[] = [];
  #start = 0;
  #size = 0;
  /** Entries dropped since `takeDropped` was last called. */
  #dropped = 0;

  constructor(
    /** Entries held at most. */
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.capacity) {
      // Full: the newest entry takes the oldest one's slot.
      this.#items[this.#start] = item;
      this.#start = (this.#start + 1) % this.capacity;
      this.#dropped++;
      return;
    }
    this.#items[(this.#start + this.#size) % this.capacity] = item;
    this.#size++;
  }

  /** Removes and returns up to `count` of the oldest entries, oldest first. */
  take(count: number): T[] {
    const n = Math.min(count, this.#size);
    const out: T[] = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      const at = (this.#start + i) % this.capacity;
      out[i] = this.#items[at] as T;
      this.#items[at] = undefined;
    }
    this.#start = (this.#start + n) % this.capacity;
    this.#size -= n;
    return out;
  }

  /** Puts entries taken earlier back in front; what no longer fits (the oldest) is dropped. */
  putBack(items: readonly T[]): void {
    const room = this.capacity - this.#size;
    const keep = items.length > room ? items.slice(items.length - room) : items;
    this.#dropped += items.length - keep.length;
    for (let i = keep.length - 1; i >= 0; i--) {
      this.#start = (this.#start - 1 + this.capacity) % this.capacity;
      this.#items[this.#start] = keep[i];
      this.#size++;
    }
  }

  /** How many entries were dropped since the last call, and resets the count. */
  takeDropped(): number {
    const n = this.#dropped;
    this.#dropped = 0;
    return n;
  }
}
