/**
 * One term's postings: the slots (internal doc numbers, see `doc-table.ts`) that contain it, with a term
 * frequency and the positions per field. Append-only: slots only grow, so doc gaps are positive and
 * small, which is what makes variable-byte coding pay (Witten, Moffat & Bell, "Managing Gigabytes" §3.3).
 *
 * Layout (all varints are LEB128: 7 bits a byte, high bit = more bytes follow):
 *   docs       per posting: varint(slot − previous slot), then one varint per field holding the term:
 *              code = tf << fieldShift | field << 1 | more (more = another field follows)
 *   positions  per field entry, in the same order: tf varints, the first absolute, the rest gaps
 *   skips      Int32Array [blocks − 1, 3]: for blocks 1.. of BLOCK_SIZE postings, [base slot (the last
 *              slot of the block before), docs byte offset, positions byte offset]; block 0 starts at
 *              base −1 and offsets 0. Cursors jump whole blocks with them and decode one block at a time.
 */

export const BLOCK_SIZE = 128;
/** The slot of an exhausted cursor: larger than any real slot. */
export const NO_MORE_DOCS = 0x7fffffff;
/** Term frequencies saturate here (BM25 saturates long before; it keeps codes within 32 bits). */
export const MAX_TERM_FREQ = 0xffff;

const EMPTY = new Uint8Array(0);

/** One doc's occurrences of a term, as the index hands them to `append`. */
export interface PostingEntry {
  /** Number of fields holding the term. */
  fieldCount: number;
  /** [fieldCount]: field ids, ascending. */
  fields: Int32Array;
  /** [fieldCount]: term frequency per field. */
  tfs: Int32Array;
  /** [fieldCount]: where each field's positions start in `positions`. */
  positionStarts: Int32Array;
  /** Positions, ascending within each field. */
  positions: Int32Array;
}

export class PostingList {
  /** Postings, dead slots included (liveness is the doc table's business). */
  count = 0;
  lastSlot = -1;
  docs: Uint8Array = EMPTY;
  docsLength = 0;
  positions: Uint8Array = EMPTY;
  positionsLength = 0;
  skips: Int32Array | undefined = undefined;

  /** Appends the posting of `slot`, which must be larger than every slot already here. */
  append(slot: number, entry: PostingEntry, fieldShift: number): void {
    if (this.count > 0 && this.count % BLOCK_SIZE === 0) this.pushSkip();
    this.docs = ensure(this.docs, this.docsLength + 5 + 5 * entry.fieldCount);
    let p = writeVarint(this.docs, this.docsLength, slot - this.lastSlot);
    let positionsNeeded = 0;
    for (let e = 0; e < entry.fieldCount; e++) positionsNeeded += Math.min(entry.tfs[e] as number, MAX_TERM_FREQ);
    this.positions = ensure(this.positions, this.positionsLength + 5 * positionsNeeded);
    let q = this.positionsLength;
    for (let e = 0; e < entry.fieldCount; e++) {
      const tf = Math.min(entry.tfs[e] as number, MAX_TERM_FREQ);
      const more = e + 1 < entry.fieldCount ? 1 : 0;
      p = writeVarint(this.docs, p, tf * 2 ** fieldShift + (entry.fields[e] as number) * 2 + more);
      const start = entry.positionStarts[e] as number;
      let previous = 0;
      for (let j = 0; j < tf; j++) {
        const position = entry.positions[start + j] as number;
        q = writeVarint(this.positions, q, position - previous);
        previous = position;
      }
    }
    this.docsLength = p;
    this.positionsLength = q;
    this.lastSlot = slot;
    this.count++;
  }

  /** Drops the spare capacity left by growth (after a bulk build). */
  trim(): void {
    if (this.docs.length > this.docsLength) this.docs = this.docs.slice(0, this.docsLength);
    if (this.positions.length > this.positionsLength) this.positions = this.positions.slice(0, this.positionsLength);
    const skipsLength = this.skipCount() * 3;
    if (this.skips !== undefined && this.skips.length > skipsLength) this.skips = this.skips.slice(0, skipsLength);
  }

  blockCount(): number {
    return Math.ceil(this.count / BLOCK_SIZE);
  }

  /** Bytes of postings data (spare capacity not counted). */
  byteSize(): number {
    return this.docsLength + this.positionsLength + this.skipCount() * 12;
  }

  private skipCount(): number {
    return Math.max(0, this.blockCount() - 1);
  }

  private pushSkip(): void {
    const at = (this.count / BLOCK_SIZE - 1) * 3;
    if (this.skips === undefined || this.skips.length < at + 3) {
      const grown = new Int32Array(Math.max(12, (at + 3) * 2));
      if (this.skips !== undefined) grown.set(this.skips);
      this.skips = grown;
    }
    this.skips[at] = this.lastSlot;
    this.skips[at + 1] = this.docsLength;
    this.skips[at + 2] = this.positionsLength;
  }
}

/** Grows `buffer` (×1.5, at least `needed`) keeping its contents. */
function ensure(buffer: Uint8Array, needed: number): Uint8Array {
  if (buffer.length >= needed) return buffer;
  const grown = new Uint8Array(Math.max(needed, Math.ceil(buffer.length * 1.5), 8));
  grown.set(buffer);
  return grown;
}

/** Writes `value` (a non-negative integer below 2^35) as a LEB128 varint at `p`; returns the next offset. */
export function writeVarint(bytes: Uint8Array, p: number, value: number): number {
  let v = value;
  while (v >= 0x80) {
    bytes[p++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  bytes[p++] = v;
  return p;
}
