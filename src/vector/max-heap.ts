/**
 * A binary max-heap of (distance, slot) pairs on typed arrays, reused across searches: no object per
 * entry and no allocation once it has grown to the search's size. The HNSW candidate queue is a
 * min-heap; it is this heap fed with negated distances (hnswlib's trick), so one class serves both.
 */
export class MaxHeap {
  /** [capacity] the keys; `keys[0]` is the largest. */
  private keys: Float64Array;
  /** [capacity] the slot stored with each key. */
  private values: Int32Array;
  size = 0;

  constructor(capacity = 64) {
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  /** The largest key; only meaningful when `size > 0`. */
  get topKey(): number {
    return this.keys[0]!;
  }

  /** The slot stored with the largest key; only meaningful when `size > 0`. */
  get topValue(): number {
    return this.values[0]!;
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const values = this.values;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentKey = keys[parent]!;
      if (parentKey >= key) break;
      keys[i] = parentKey;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Removes the largest entry (read `topKey` and `topValue` first). */
  pop(): void {
    const n = --this.size;
    if (n <= 0) return;
    const keys = this.keys;
    const values = this.values;
    const key = keys[n]!;
    const value = values[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! > keys[child]!) child++;
      if (keys[child]! <= key) break;
      keys[i] = keys[child]!;
      values[i] = values[child]!;
      i = child;
    }
    keys[i] = key;
    values[i] = value;
  }

  /**
   * Empties the heap into `outValues`/`outKeys` in ascending key order (closest first when keys are
   * distances) and returns how many entries there were.
   */
  drainAscending(outValues: Int32Array, outKeys: Float64Array): number {
    const n = this.size;
    for (let i = n - 1; i >= 0; i--) {
      outKeys[i] = this.keys[0]!;
      outValues[i] = this.values[0]!;
      this.pop();
    }
    return n;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const values = new Int32Array(this.values.length * 2);
    values.set(this.values);
    this.keys = keys;
    this.values = values;
  }
}

/**
 * The set of slots a search has visited, cleared in O(1): a slot is visited when its tag equals the
 * current epoch, and each search starts a new epoch (hnswlib's `VisitedList`, with its 16-bit tags).
 * Tags are only zeroed when the epoch wraps around, once every 65,535 searches; 2 bytes a slot instead
 * of 4 keep more of the array in cache, and a search checks it for every node it reaches (on 100,000
 * 64-dim rows in `bench/ann.ts`, a build spent 4% of its time on that check with 32-bit tags).
 */
export class VisitedSet {
  /** [capacity] the epoch at which each slot was last visited. */
  tags: Uint16Array;
  private epoch = 0;

  constructor(capacity: number) {
    this.tags = new Uint16Array(Math.max(1, capacity));
  }

  /** Starts a new search over `capacity` slots; returns its epoch. */
  next(capacity: number): number {
    if (capacity > this.tags.length) this.tags = new Uint16Array(Math.max(capacity, this.tags.length * 2));
    if (this.epoch === 0xffff) {
      this.tags.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}
