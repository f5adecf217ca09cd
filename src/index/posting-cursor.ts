import { BLOCK_SIZE, NO_MORE_DOCS, type PostingList } from './posting-list.js';

/**
 * Reads a {@link PostingList} in slot order, one decoded block of up to BLOCK_SIZE postings at a time,
 * with `advance(target)` jumping whole blocks through the skip data. No allocation per posting: the
 * block is decoded into the cursor's own typed arrays.
 */
export class PostingCursor {
  /** The current slot; -1 before the first `nextDoc`, NO_MORE_DOCS when exhausted. */
  slot = -1;
  /** [BLOCK_SIZE]: the decoded block's slots. */
  readonly slots = new Int32Array(BLOCK_SIZE);
  /** [BLOCK_SIZE + 1]: posting j's field entries are entries entryStart[j] .. entryStart[j + 1] − 1. */
  readonly entryStart = new Int32Array(BLOCK_SIZE + 1);
  /** [BLOCK_SIZE × fields]: each entry's field id and term frequency. */
  readonly entryFields: Int32Array;
  readonly entryTfs: Int32Array;
  /** Index of the current posting within the decoded block. */
  index = -1;

  private list: PostingList;
  private blocks = 0;
  private block = -1;
  private size = 0;
  private blockLast = -1;
  private positionsPointer = 0;
  private positionsEntry = 0;

  constructor(
    list: PostingList,
    fieldCount: number,
    private readonly fieldShift: number,
  ) {
    this.list = list;
    this.entryFields = new Int32Array(BLOCK_SIZE * fieldCount);
    this.entryTfs = new Int32Array(BLOCK_SIZE * fieldCount);
    this.reset(list);
  }

  /** Starts over on `list` (cursors are pooled: see CursorPool). */
  reset(list: PostingList): this {
    this.list = list;
    this.blocks = list.blockCount();
    this.slot = -1;
    this.index = -1;
    this.block = -1;
    this.size = 0;
    this.blockLast = -1;
    this.positionsPointer = 0;
    this.positionsEntry = 0;
    return this;
  }

  /** Postings in the decoded block: `slots[index + 1 .. blockSize − 1]` follow the current one without decoding. */
  get blockSize(): number {
    return this.size;
  }

  /** Moves to posting `i` of the decoded block (index < i < blockSize): what nextDoc() repeated would do. */
  moveInBlock(i: number): number {
    this.index = i;
    return (this.slot = this.slots[i] as number);
  }

  nextDoc(): number {
    if (++this.index >= this.size) {
      if (this.block + 1 >= this.blocks) return (this.slot = NO_MORE_DOCS);
      this.decodeBlock(this.block + 1);
      this.index = 0;
    }
    return (this.slot = this.slots[this.index] as number);
  }

  /** Moves to the first posting with slot >= target (never backwards). */
  advance(target: number): number {
    if (this.slot >= target) return this.slot;
    if (target > this.blockLast) {
      let b = Math.max(this.block + 1, 0);
      while (b + 1 < this.blocks && this.baseOf(b + 1) < target) b++;
      if (b >= this.blocks) return (this.slot = NO_MORE_DOCS);
      this.decodeBlock(b);
      this.index = 0;
    }
    const { slots, size } = this;
    let i = Math.max(this.index, 0);
    while (i < size && (slots[i] as number) < target) i++;
    if (i >= size) {
      this.index = this.size;
      return this.nextDoc();
    }
    this.index = i;
    return (this.slot = this.slots[i] as number);
  }

  /**
   * Decodes the positions of the current posting's entry `entry` (an index into entryFields) into `out`
   * and returns how many there are. Sequential calls within a block cost O(skipped positions).
   */
  positionsOf(entry: number, out: Int32Array): number {
    const bytes = this.list.positions;
    if (entry < this.positionsEntry) {
      this.positionsPointer = this.positionsStartOf(this.block);
      this.positionsEntry = 0;
    }
    let p = this.positionsPointer;
    for (let e = this.positionsEntry; e < entry; e++) {
      for (let n = this.entryTfs[e] as number; n > 0; n--) while ((bytes[p++] as number) >= 0x80);
    }
    const tf = this.entryTfs[entry] as number;
    let position = 0;
    for (let j = 0; j < tf; j++) {
      let b = bytes[p++] as number;
      let v = b & 0x7f;
      for (let shift = 7; b >= 0x80; shift += 7) {
        b = bytes[p++] as number;
        v += (b & 0x7f) * 2 ** shift;
      }
      position += v;
      out[j] = position;
    }
    this.positionsPointer = p;
    this.positionsEntry = entry + 1;
    return tf;
  }

  private baseOf(block: number): number {
    return block === 0 ? -1 : ((this.list.skips as Int32Array)[(block - 1) * 3] as number);
  }

  private positionsStartOf(block: number): number {
    return block === 0 ? 0 : ((this.list.skips as Int32Array)[(block - 1) * 3 + 2] as number);
  }

  // Hot loop (bench/lexical.ts): every scored posting passes through here once. Most varints are one
  // byte (Vaswani: 2.0 bytes per posting, gap and code together), so that case is tested first.
  private decodeBlock(block: number): void {
    const bytes = this.list.docs;
    const skips = this.list.skips;
    const { slots, entryStart, entryFields, entryTfs } = this;
    let p = block === 0 ? 0 : ((skips as Int32Array)[(block - 1) * 3 + 1] as number);
    let slot = this.baseOf(block);
    const size = Math.min(BLOCK_SIZE, this.list.count - block * BLOCK_SIZE);
    const fieldMask = (1 << (this.fieldShift - 1)) - 1;
    const shift = this.fieldShift;
    let e = 0;
    for (let j = 0; j < size; j++) {
      let b = bytes[p++] as number;
      if (b < 0x80) slot += b;
      else {
        let delta = b & 0x7f;
        for (let s = 7; b >= 0x80; s += 7) {
          b = bytes[p++] as number;
          delta += (b & 0x7f) * 2 ** s;
        }
        slot += delta;
      }
      slots[j] = slot;
      entryStart[j] = e;
      let more = 1;
      while (more === 1) {
        b = bytes[p++] as number;
        let code = b & 0x7f;
        for (let s = 7; b >= 0x80; s += 7) {
          b = bytes[p++] as number;
          code |= (b & 0x7f) << s;
        }
        more = code & 1;
        entryFields[e] = (code >>> 1) & fieldMask;
        entryTfs[e] = code >>> shift;
        e++;
      }
    }
    entryStart[size] = e;
    this.block = block;
    this.size = size;
    this.blockLast = slot;
    this.positionsPointer = this.positionsStartOf(block);
    this.positionsEntry = 0;
  }
}

/**
 * Reuses cursors across queries: each holds four typed arrays, and allocating (then collecting) a few
 * dozen per query showed up as latency spikes in bench/lexical.ts. One query at a time borrows them
 * (`open` … `close`); a nested query while one is open gets fresh cursors.
 */
export class CursorPool {
  private readonly free: PostingCursor[] = [];
  private readonly lent: PostingCursor[] = [];
  private opened = false;

  constructor(
    private readonly fieldCount: number,
    private readonly fieldShift: number,
  ) {}

  /** Starts lending; undefined when a query is already borrowing (re-entrant use). */
  open(): CursorPool | undefined {
    if (this.opened) return undefined;
    this.opened = true;
    return this;
  }

  acquire(list: PostingList): PostingCursor {
    const cursor = this.free.pop()?.reset(list) ?? new PostingCursor(list, this.fieldCount, this.fieldShift);
    this.lent.push(cursor);
    return cursor;
  }

  /** Takes every lent cursor back (keeping at most 512 for reuse). */
  close(): void {
    for (const cursor of this.lent) if (this.free.length < 512) this.free.push(cursor);
    this.lent.length = 0;
    this.opened = false;
  }
}
