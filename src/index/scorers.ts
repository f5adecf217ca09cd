import type { PostingCursor } from './posting-cursor.js';
import { NO_MORE_DOCS } from './posting-list.js';
import { saturate, type FieldNorms } from './scoring.js';

/**
 * Document-at-a-time iterators over slots that can score the slot they stand on: the units MaxScore
 * (`top-k.ts`) drives. `maxScore` is an upper bound of every `score()` the scorer can return.
 */
export interface Scorer {
  /** The current slot; -1 before the first move, NO_MORE_DOCS when exhausted. */
  readonly doc: number;
  readonly maxScore: number;
  /** Number of postings behind it: the cheapest scorer leads a conjunction. */
  readonly cost: number;
  nextDoc(): number;
  /** The first matching slot >= target (never moves backwards). */
  advance(target: number): number;
  /** The score at the current slot (which must match). */
  score(): number;
}

/** What term scorers read besides their postings. */
export interface ScoreContext {
  /** [slots, fields] row-major field lengths. */
  lengths: Uint32Array;
  fieldCount: number;
  /** Built from the current average lengths. */
  norms: FieldNorms;
  k1: number;
}

/**
 * One term over the fields in `fieldMask`: weight · tf~ / (k1 + tf~), weight = factor · idf. With a mask
 * narrower than the fields the term occurs in, postings with no occurrence in the mask are skipped.
 */
export class TermScorer implements Scorer {
  doc = -1;
  readonly cost: number;
  private readonly masked: boolean;

  constructor(
    readonly cursor: PostingCursor,
    readonly weight: number,
    readonly fieldMask: number,
    readonly maxScore: number,
    private readonly context: ScoreContext,
    options: { cost: number; allFieldsMask: number },
  ) {
    this.cost = options.cost;
    this.masked = (fieldMask & options.allFieldsMask) !== options.allFieldsMask;
  }

  nextDoc(): number {
    this.cursor.nextDoc();
    return (this.doc = this.masked ? this.skipUnmasked() : this.cursor.slot);
  }

  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    this.cursor.advance(target);
    return (this.doc = this.masked ? this.skipUnmasked() : this.cursor.slot);
  }

  score(): number {
    return this.weight * saturate(this.tfNorm(), this.context.k1);
  }

  /** tf~ at the current slot over the masked fields. */
  tfNorm(): number {
    const { cursor, context } = this;
    const i = cursor.index;
    const rowStart = this.doc * context.fieldCount;
    let x = 0;
    for (let e = cursor.entryStart[i] as number, end = cursor.entryStart[i + 1] as number; e < end; e++) {
      const field = cursor.entryFields[e] as number;
      if (((this.fieldMask >>> field) & 1) === 0) continue;
      x += context.norms.term(field, cursor.entryTfs[e] as number, context.lengths[rowStart + field] as number);
    }
    return x;
  }

  /** The entry of `field` at the current slot, or -1. */
  entryOf(field: number): number {
    const { cursor } = this;
    const i = cursor.index;
    for (let e = cursor.entryStart[i] as number, end = cursor.entryStart[i + 1] as number; e < end; e++) {
      if (cursor.entryFields[e] === field) return e;
    }
    return -1;
  }

  private skipUnmasked(): number {
    const { cursor } = this;
    while (cursor.slot !== NO_MORE_DOCS) {
      const i = cursor.index;
      for (let e = cursor.entryStart[i] as number, end = cursor.entryStart[i + 1] as number; e < end; e++) {
        if (((this.fieldMask >>> (cursor.entryFields[e] as number)) & 1) === 1) return cursor.slot;
      }
      cursor.nextDoc();
    }
    return NO_MORE_DOCS;
  }
}

/** A query word's alternatives (exact, typo, synonym): matches where any does, scores the best one. */
export class MaxUnionScorer implements Scorer {
  doc = -1;
  readonly maxScore: number;
  readonly cost: number;

  constructor(private readonly children: readonly Scorer[]) {
    this.maxScore = Math.max(...children.map((c) => c.maxScore));
    this.cost = children.reduce((sum, c) => sum + c.cost, 0);
  }

  nextDoc(): number {
    return this.advance(this.doc + 1);
  }

  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    let min = NO_MORE_DOCS;
    for (const child of this.children) min = Math.min(min, child.advance(target));
    return (this.doc = min);
  }

  score(): number {
    let best = 0;
    for (const child of this.children) if (child.doc === this.doc) best = Math.max(best, child.score());
    return best;
  }
}

/**
 * All of `children` in one doc (leapfrog intersection), and with `offsets`, next to each other in one
 * field: child i at position p + offsets[i] for some p (a phrase; offsets keep the query's gaps, e.g.
 * a dropped stop word). Scores the sum of the children's scores.
 */
export class ConjunctionScorer implements Scorer {
  doc = -1;
  readonly maxScore: number;
  readonly cost: number;
  private readonly scratch: Int32Array[];
  private readonly counts: number[];
  private readonly pointers: number[];

  constructor(
    private readonly children: readonly TermScorer[],
    private readonly offsets: readonly number[] | undefined,
    private readonly fieldMask: number,
  ) {
    this.maxScore = children.reduce((sum, c) => sum + c.maxScore, 0);
    this.cost = Math.min(...children.map((c) => c.cost));
    this.scratch = children.map(() => new Int32Array(16));
    this.counts = children.map(() => 0);
    this.pointers = children.map(() => 0);
  }

  nextDoc(): number {
    return this.advance(this.doc + 1);
  }

  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    const [lead, ...others] = this.children as [TermScorer, ...TermScorer[]];
    let t = target;
    for (;;) {
      const d = lead.advance(t);
      if (d === NO_MORE_DOCS) return (this.doc = NO_MORE_DOCS);
      let agreed = true;
      for (const other of others) {
        const od = other.advance(d);
        if (od !== d) {
          t = od;
          agreed = false;
          break;
        }
      }
      if (agreed) {
        if (this.offsets === undefined || this.adjacentSomewhere()) return (this.doc = d);
        t = d + 1;
      }
      if (t === NO_MORE_DOCS) return (this.doc = NO_MORE_DOCS);
    }
  }

  score(): number {
    let sum = 0;
    for (const child of this.children) sum += child.score();
    return sum;
  }

  private adjacentSomewhere(): boolean {
    for (let field = 0; (this.fieldMask >>> field) !== 0; field++) {
      if (((this.fieldMask >>> field) & 1) === 1 && this.adjacentIn(field)) return true;
    }
    return false;
  }

  private adjacentIn(field: number): boolean {
    const offsets = this.offsets as readonly number[];
    const { counts, pointers } = this;
    for (let i = 0; i < this.children.length; i++) {
      const child = this.children[i] as TermScorer;
      const entry = child.entryOf(field);
      if (entry < 0) return false;
      const tf = child.cursor.entryTfs[entry] as number;
      if ((this.scratch[i] as Int32Array).length < tf) this.scratch[i] = new Int32Array(tf * 2);
      counts[i] = child.cursor.positionsOf(entry, this.scratch[i] as Int32Array);
      pointers[i] = 0;
    }
    const first = this.scratch[0] as Int32Array;
    for (let a = 0; a < (counts[0] as number); a++) {
      const start = (first[a] as number) - (offsets[0] as number);
      let all = true;
      for (let i = 1; i < this.children.length && all; i++) {
        const positions = this.scratch[i] as Int32Array;
        const want = start + (offsets[i] as number);
        let p = pointers[i] as number;
        while (p < (counts[i] as number) && (positions[p] as number) < want) p++;
        pointers[i] = p;
        all = p < (counts[i] as number) && positions[p] === want;
      }
      if (all) return true;
    }
    return false;
  }
}
