import { NO_MORE_DOCS } from './posting-list.js';
import { BOUND_SLACK } from './scoring.js';
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
 * Top-k by MaxScore (Turtle & Flood 1995, "Query evaluation: strategies and optimizations", in its
 * document-at-a-time form as in Lucene and PISA). Units are sorted by their score bound; once the heap
 * is full, the longest prefix of units whose bounds sum below the threshold is "non-essential": a doc
 * matching only those cannot enter the top k, so candidates come from the essential units alone, and
 * non-essential units are probed only while the doc can still reach the threshold. Scores are summed
 * in query order whatever the probing order, so pruned and exhaustive runs return identical hits.
 */
// Hot loop (bench/lexical.ts): kept in one function so V8 keeps the state in registers.
export function topK(input: MatchInput): MatchOutput {
  const { units, exclusions, minimumShouldMatch, accept, slotToDoc, exactCountUpTo, onMatch } = input;
  const n = units.length;
  const heap = new TopKHeap(input.k);
  // order[i]: unit index by ascending bound; prefix[i] = Σ bound of order[0..i].
  const order = units.map((_, i) => i).sort((a, b) => (units[a] as Scorer).maxScore - (units[b] as Scorer).maxScore || a - b);
  const sortedUnits = order.map((i) => units[i] as Scorer);
  const prefix = new Array<number>(n).fill(0);
  let running = 0;
  for (let i = 0; i < n; i++) prefix[i] = running += (sortedUnits[i] as Scorer).maxScore * BOUND_SLACK;
  const unitScores = new Array<number>(n).fill(0);
  const touched = new Array<number>(n).fill(0);
  let candidate = NO_MORE_DOCS;
  for (const unit of units) candidate = Math.min(candidate, unit.nextDoc());
  let firstEssential = 0;
  let total = 0;
  let totalExact = true;
  let pruning = exactCountUpTo <= 0;
  let threshold = -Infinity;

  while (candidate !== NO_MORE_DOCS) {
    const accepted = accept(candidate);
    let partial = 0;
    let matched = 0;
    // Scores the essential units on the candidate, moves them on, and finds the next candidate.
    let next = NO_MORE_DOCS;
    for (let i = firstEssential; i < n; i++) {
      const unit = sortedUnits[i] as Scorer;
      let doc = unit.doc;
      if (doc === candidate) {
        if (accepted) {
          const s = unit.score();
          const u = order[i] as number;
          unitScores[u] = s;
          touched[matched++] = u;
          partial += s;
        }
        doc = unit.nextDoc();
      }
      if (doc < next) next = doc;
    }
    const current = candidate;
    candidate = next;
    if (!accepted) continue;
    let skipped = false;
    for (let i = firstEssential - 1; i >= 0; i--) {
      if (matched + i + 1 < minimumShouldMatch) {
        skipped = true;
        break;
      }
      if (pruning && partial + (prefix[i] as number) < threshold) {
        skipped = true;
        totalExact = false;
        break;
      }
      const unit = sortedUnits[i] as Scorer;
      if (unit.doc < current) unit.advance(current);
      if (unit.doc !== current) continue;
      const s = unit.score();
      const u = order[i] as number;
      unitScores[u] = s;
      touched[matched++] = u;
      partial += s;
    }
    if (skipped || matched < minimumShouldMatch || excluded(exclusions, current)) continue;
    // Sum in query order (an insertion sort of the few matched units), whatever order they were probed in.
    for (let a = 1; a < matched; a++) {
      const u = touched[a] as number;
      let b = a - 1;
      for (; b >= 0 && (touched[b] as number) > u; b--) touched[b + 1] = touched[b] as number;
      touched[b + 1] = u;
    }
    let score = 0;
    for (let a = 0; a < matched; a++) score += unitScores[touched[a] as number] as number;
    const docId = slotToDoc[current] as number;
    total++;
    onMatch?.(docId);
    const kept = heap.offer(docId, score);
    if (!pruning && total >= exactCountUpTo) pruning = true;
    if (pruning && kept && heap.full) {
      threshold = heap.threshold;
      const before = firstEssential;
      while (firstEssential < n && (prefix[firstEssential] as number) < threshold) firstEssential++;
      if (firstEssential > 0) totalExact = false;
      // Units that just became non-essential may stand before the next candidate: the next candidate
      // comes from the essential units only.
      if (firstEssential !== before) {
        candidate = NO_MORE_DOCS;
        for (let i = firstEssential; i < n; i++) candidate = Math.min(candidate, (sortedUnits[i] as Scorer).doc);
      }
    }
  }
  return { hits: heap.sorted(), total, totalExact };
}

function excluded(exclusions: readonly Scorer[], slot: number): boolean {
  for (const scorer of exclusions) if (scorer.advance(slot) === slot) return true;
  return false;
}
