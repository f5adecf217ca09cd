import { writeVarint } from './posting-list.js';

/**
 * The index's docs by slot. A slot is the internal number postings refer to; a doc id is the caller's
 * dense id. Each add or update takes the next slot, so postings stay in increasing slot order and
 * append-only; an update or delete only marks the old slot dead. In a build without updates, slot ==
 * doc id. `compact()` in the index renumbers the live slots.
 *
 * Layout per slot: `lengths` [slots, fields] row-major (a field's length = its distinct token positions);
 * the forward index `terms` holds the slot's distinct term ids ascending as varint gaps, each followed
 * by varint(total term frequency over fields), between byte offsets termsStart[slot] .. termsStart[slot + 1].
 * It keeps document frequencies exact under deletes and feeds pseudo-relevance feedback.
 */
export class DocTable {
  slotCount = 0;
  liveCount = 0;
  slotToDoc: Int32Array = new Int32Array(64);
  docToSlot: Int32Array = new Int32Array(64).fill(-1);
  live: Uint8Array = new Uint8Array(64);
  lengths: Uint32Array;
  /** [fields]: Σ length over live slots, and how many live slots have the field non-empty. */
  readonly sumLengths: Float64Array;
  readonly docsWithField: Float64Array;
  termsStart: Uint32Array = new Uint32Array(65);
  terms: Uint8Array = new Uint8Array(256);
  /** One past the largest doc id ever used. */
  docIdEnd = 0;
  /** Bumped by every add and kill: caches of statistics compare it. */
  version = 0;

  constructor(readonly fieldCount: number) {
    this.lengths = new Uint32Array(64 * fieldCount);
    this.sumLengths = new Float64Array(fieldCount);
    this.docsWithField = new Float64Array(fieldCount);
  }

  /** The live slot of `docId`, or -1. */
  slotOf(docId: number): number {
    if (docId < 0 || docId >= this.docToSlot.length) return -1;
    return this.docToSlot[docId] as number;
  }

  /**
   * Takes the next slot for `docId` (which must have no live slot).
   * @param lengths [fields] the doc's field lengths
   * @param termIds [count] distinct term ids, ascending; `termFreqs` [count] their total frequencies
   */
  addSlot(docId: number, lengths: Int32Array, termIds: Int32Array, termFreqs: Int32Array, count: number): number {
    const slot = this.slotCount++;
    this.version++;
    this.growSlots(this.slotCount);
    this.growDocs(docId + 1);
    this.slotToDoc[slot] = docId;
    this.docToSlot[docId] = slot;
    this.docIdEnd = Math.max(this.docIdEnd, docId + 1);
    this.live[slot] = 1;
    this.liveCount++;
    for (let f = 0; f < this.fieldCount; f++) {
      const length = lengths[f] as number;
      this.lengths[slot * this.fieldCount + f] = length;
      this.sumLengths[f] = (this.sumLengths[f] as number) + length;
      if (length > 0) this.docsWithField[f] = (this.docsWithField[f] as number) + 1;
    }
    let p = this.termsStart[slot] as number;
    if (this.terms.length < p + 10 * count) {
      const grown = new Uint8Array(Math.max(p + 10 * count, this.terms.length * 1.5));
      grown.set(this.terms);
      this.terms = grown;
    }
    let previous = 0;
    for (let i = 0; i < count; i++) {
      p = writeVarint(this.terms, p, (termIds[i] as number) - previous);
      p = writeVarint(this.terms, p, termFreqs[i] as number);
      previous = termIds[i] as number;
    }
    this.termsStart[slot + 1] = p;
    return slot;
  }

  /** Marks a live slot dead and takes it out of the length statistics. */
  kill(slot: number): void {
    this.live[slot] = 0;
    this.liveCount--;
    this.version++;
    const docId = this.slotToDoc[slot] as number;
    if (this.docToSlot[docId] === slot) this.docToSlot[docId] = -1;
    for (let f = 0; f < this.fieldCount; f++) {
      const length = this.lengths[slot * this.fieldCount + f] as number;
      this.sumLengths[f] = (this.sumLengths[f] as number) - length;
      if (length > 0) this.docsWithField[f] = (this.docsWithField[f] as number) - 1;
    }
  }

  /** Average length of field `f` over the live docs that have it (1 when none do). */
  averageLength(f: number): number {
    const n = this.docsWithField[f] as number;
    return n > 0 ? (this.sumLengths[f] as number) / n : 1;
  }

  /** Calls `visit(termId, termFreq)` for each distinct term of `slot`, ascending (deletes, compaction: not a hot path). */
  forEachTerm(slot: number, visit: (termId: number, termFreq: number) => void): void {
    const count = this.termCount(slot);
    const termIds = new Int32Array(count);
    const termFreqs = new Int32Array(count);
    this.readTerms(slot, termIds, termFreqs);
    for (let i = 0; i < count; i++) visit(termIds[i] as number, termFreqs[i] as number);
  }

  /** Distinct terms of `slot`. */
  termCount(slot: number): number {
    const bytes = this.terms;
    const end = this.termsStart[slot + 1] as number;
    let count = 0;
    // Two varints per term: count the bytes that end a varint, halve.
    for (let p = this.termsStart[slot] as number; p < end; p++) if ((bytes[p] as number) < 0x80) count++;
    return count / 2;
  }

  /**
   * Writes the distinct terms of `slot`, ascending, into `termIds` and their frequencies into
   * `termFreqs` (each at least `termCount(slot)` long); returns how many.
   */
  readTerms(slot: number, termIds: Int32Array, termFreqs: Int32Array): number {
    const bytes = this.terms;
    const end = this.termsStart[slot + 1] as number;
    let p = this.termsStart[slot] as number;
    let termId = 0;
    let count = 0;
    while (p < end) {
      let b = bytes[p++] as number;
      let gap = b & 0x7f;
      for (let s = 7; b >= 0x80; s += 7) gap += ((b = bytes[p++] as number) & 0x7f) * 2 ** s;
      b = bytes[p++] as number;
      let tf = b & 0x7f;
      for (let s = 7; b >= 0x80; s += 7) tf += ((b = bytes[p++] as number) & 0x7f) * 2 ** s;
      termId += gap;
      termIds[count] = termId;
      termFreqs[count++] = tf;
    }
    return count;
  }

  private growSlots(needed: number): void {
    if (this.live.length >= needed) return;
    const size = Math.max(needed, Math.ceil(this.live.length * 1.5));
    this.slotToDoc = copyInto(new Int32Array(size), this.slotToDoc);
    this.live = copyInto(new Uint8Array(size), this.live);
    this.lengths = copyInto(new Uint32Array(size * this.fieldCount), this.lengths);
    this.termsStart = copyInto(new Uint32Array(size + 1), this.termsStart);
  }

  private growDocs(needed: number): void {
    if (this.docToSlot.length >= needed) return;
    const size = Math.max(needed, Math.ceil(this.docToSlot.length * 1.5));
    const grown = new Int32Array(size).fill(-1);
    grown.set(this.docToSlot);
    this.docToSlot = grown;
  }
}

function copyInto<T extends Uint8Array | Int32Array | Uint32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
