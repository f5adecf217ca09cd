import { NO_MORE_DOCS } from './posting-list.js';
import type { Scorer } from './scorers.js';

/**
 * The k best (score, docId) pairs seen: a binary min-heap whose root is the worst kept hit. Higher
 * score wins; equal scores go to the smaller doc id, so results never depend on evaluation order.
 */
export class TopKHeap {
  size = 0;
  private readonly scores: number[];
  private readonly docs: number[];

  constructor(readonly k: number) {
    // Plain arrays: a query allocates no typed arrays (their backing stores count as external memory
    // and bring garbage collections forward; see bench/lexical.ts).
    this.scores = new Array<number>(k).fill(0);
    this.docs = new Array<number>(k).fill(0);
  }

  get full(): boolean {
    return this.size === this.k;
  }

  /** The worst kept score (−∞ until full). */
  get threshold(): number {
    return this.full && this.k > 0 ? (this.scores[0] as number) : -Infinity;
  }

  /** Offers a hit; returns true when it was kept. */
  offer(docId: number, score: number): boolean {
    if (this.k === 0) return false;
    if (this.size < this.k) {
      this.scores[this.size] = score;
      this.docs[this.size] = docId;
      this.siftUp(this.size++);
      return true;
    }
    if (!this.worse(0, score, docId)) return false;
    this.scores[0] = score;
    this.docs[0] = docId;
    this.siftDown(0);
    return true;
  }

  /** The kept hits, best first. */
  sorted(): { docId: number; score: number }[] {
    const hits: { docId: number; score: number }[] = [];
    for (let i = 0; i < this.size; i++) hits.push({ docId: this.docs[i] as number, score: this.scores[i] as number });
    return hits.sort((a, b) => b.score - a.score || a.docId - b.docId);
  }

  /** True when the kept hit at `i` ranks below (score, docId). */
  private worse(i: number, score: number, docId: number): boolean {
    const s = this.scores[i] as number;
    return s < score || (s === score && (this.docs[i] as number) > docId);
  }

  private siftUp(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, this.scores[parent] as number, this.docs[parent] as number)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(start: number): void {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < this.size && this.worse(l, this.scores[smallest] as number, this.docs[smallest] as number)) smallest = l;
      if (r < this.size && this.worse(r, this.scores[smallest] as number, this.docs[smallest] as number)) smallest = r;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a] as number;
    this.scores[a] = this.scores[b] as number;
    this.scores[b] = s;
    const d = this.docs[a] as number;
    this.docs[a] = this.docs[b] as number;
    this.docs[b] = d;
  }
}

export interface MatchInput {
  /** The positive query units, in query order (a doc's score sums them in this order). */
  units: readonly Scorer[];
  /** A doc any of these match is excluded. */
  exclusions: readonly Scorer[];
  /** A doc must match at least this many units. */
  minimumShouldMatch: number;
  k: number;
  /** Live and passing the filters. */
  accept: (slot: number) => boolean;
  slotToDoc: Int32Array;
  /**
   * Count matches exactly until this many are found, then prune (MaxScore). Infinity: exhaustive, every
   * match scored and counted.
   */
  exactCountUpTo: number;
  /** Called for every counted match (facets); only with exactCountUpTo = Infinity. */
  onMatch?: (docId: number) => void;
}

export interface MatchOutput {
  hits: { docId: number; score: number }[];
  /** Matches counted; exact unless `totalExact` is false (then a lower bound). */
  total: number;
  totalExact: boolean;
}

/**
 * Exhaustive top-k, the reference for `maxScoreTopK` (max-score.ts) and the path of facet requests:
 * document at a time, every unit on every candidate, scores summed in query order, every match counted.
 */
export function exhaustiveTopK(input: MatchInput): MatchOutput {
  const { units, exclusions, minimumShouldMatch, accept, slotToDoc, onMatch } = input;
  const heap = new TopKHeap(input.k);
  let candidate = NO_MORE_DOCS;
  for (const unit of units) candidate = Math.min(candidate, unit.nextDoc());
  let total = 0;
  while (candidate !== NO_MORE_DOCS) {
    const accepted = accept(candidate);
    let score = 0;
    let matched = 0;
    let next = NO_MORE_DOCS;
    for (const unit of units) {
      if (unit.doc === candidate) {
        if (accepted) {
          score += unit.score();
          matched++;
        }
        unit.nextDoc();
      }
      next = Math.min(next, unit.doc);
    }
    if (accepted && matched >= minimumShouldMatch && !excluded(exclusions, candidate)) {
      const docId = slotToDoc[candidate] as number;
      total++;
      onMatch?.(docId);
      heap.offer(docId, score);
    }
    candidate = next;
  }
  return { hits: heap.sorted(), total, totalExact: true };
}

export function excluded(exclusions: readonly Scorer[], slot: number): boolean {
  for (const scorer of exclusions) if (scorer.advance(slot) === slot) return true;
  return false;
}
