import type { PostingCursor } from './posting-cursor.js';
import { NO_MORE_DOCS } from './posting-list.js';
import type { FieldNorms } from './scoring.js';

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

/** Takes (slot, score) pairs in increasing slot order: where `TermScorer.scoreUpTo` writes. */
export interface ScoreSink {
  add(slot: number, score: number): void;
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
  // The context's arrays and constants, held here so score() reads no chain of objects.
  private readonly lengths: Uint32Array;
  private readonly fieldCount: number;
  private readonly k1: number;
  private readonly fieldWeight: Float64Array;
  private readonly oneMinusB: Float64Array;
  private readonly bOverAvg: Float64Array;

  constructor(
    readonly cursor: PostingCursor,
    readonly weight: number,
    readonly fieldMask: number,
    readonly maxScore: number,
    context: ScoreContext,
    options: { cost: number; allFieldsMask: number },
  ) {
    this.cost = options.cost;
    this.masked = (fieldMask & options.allFieldsMask) !== options.allFieldsMask;
    this.lengths = context.lengths;
    this.fieldCount = context.fieldCount;
    this.k1 = context.k1;
    this.fieldWeight = context.norms.weight;
    this.oneMinusB = context.norms.oneMinusB;
    this.bOverAvg = context.norms.bOverAvg;
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

  // Hot (bench/lexical.ts): every scored posting.
  score(): number {
    return this.weight * saturateTfNorm(this, this.doc, this.k1);
  }

  /**
   * Scores every posting from the current slot up to `end` (excluded) into `sink`, and stops on the
   * first slot >= end: nextDoc() and score() in a loop, reading the decoded block directly.
   */
  // Hot loop (bench/lexical.ts): the essential units of max-score.ts spend their time here.
  scoreUpTo(end: number, sink: ScoreSink): void {
    if (this.masked) {
      for (let slot = this.doc; slot < end; slot = this.nextDoc()) sink.add(slot, this.score());
      return;
    }
    const { cursor, weight, k1 } = this;
    let slot = this.doc;
    while (slot < end) {
      sink.add(slot, weight * saturateTfNorm(this, slot, k1));
      const next = cursor.index + 1;
      slot = this.doc = next < cursor.blockSize ? cursor.moveInBlock(next) : cursor.nextDoc();
    }
  }

  /** tf~ at the current slot over the masked fields: Σ w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f) (FieldNorms.term). */
  tfNorm(): number {
    return this.tfNormAt(this.doc);
  }

  /** tfNorm() with the current slot given. */
  tfNormAt(slot: number): number {
    const { cursor, fieldCount, fieldWeight, oneMinusB, bOverAvg, lengths, fieldMask } = this;
    const i = cursor.index;
    const rowStart = slot * fieldCount;
    let x = 0;
    for (let e = cursor.entryStart[i] as number, end = cursor.entryStart[i + 1] as number; e < end; e++) {
      const field = cursor.entryFields[e] as number;
      if (((fieldMask >>> field) & 1) === 0) continue;
      x += ((fieldWeight[field] as number) * (cursor.entryTfs[e] as number)) / ((oneMinusB[field] as number) + (bOverAvg[field] as number) * (lengths[rowStart + field] as number));
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

/** saturate(tf~) = tf~ / (k1 + tf~) at the scorer's current posting (scoring.ts's saturate, written out). */
function saturateTfNorm(scorer: TermScorer, slot: number, k1: number): number {
  const x = scorer.tfNormAt(slot);
  return x / (k1 + x);
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
