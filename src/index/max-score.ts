import { NO_MORE_DOCS } from './posting-list.js';
import { BOUND_SLACK } from './scoring.js';
import { TermScorer, type Scorer, type ScoreSink } from './scorers.js';
import { excluded, TopKHeap, type MatchInput, type MatchOutput } from './top-k.js';

/** Slots per window: the window's unit scores ([WINDOW, units]) stay in the CPU caches. */
const WINDOW = 1024;

/**
 * Per-window buffers, reused across queries (a query allocates none once they have grown). Cells are
 * stamped with the window's generation instead of cleared: a stamp from an older window means "no
 * score". One query at a time borrows them; a nested query (an `accept` that searches) gets fresh ones.
 */
class WindowScratch implements ScoreSink {
  generation = 0;
  /** The window's first slot, and the unit (query index) whose postings `add` receives, of `units`. */
  lo = 0;
  unit = 0;
  units = 0;
  inUse = false;
  /** [WINDOW / 32]: slots of the window some essential unit matched. */
  readonly bits = new Int32Array(WINDOW / 32);
  /** [WINDOW]: per slot, units matched and their score summed in probing order (for pruning only). */
  readonly matched = new Int32Array(WINDOW);
  readonly partial = new Float64Array(WINDOW);
  /** [WINDOW, units] row-major: each unit's score at each slot, valid where `stamps` equals `generation`. */
  scores = new Float64Array(0);
  stamps = new Int32Array(0);

  ensure(units: number): void {
    if (this.scores.length >= WINDOW * units) return;
    this.scores = new Float64Array(WINDOW * units);
    this.stamps = new Int32Array(WINDOW * units);
    this.generation = 0;
  }

  /** One essential unit's score at a slot of the window. */
  add(slot: number, score: number): void {
    const w = slot - this.lo;
    const word = this.bits[w >>> 5] as number;
    if ((word & (1 << (w & 31))) === 0) {
      this.bits[w >>> 5] = word | (1 << (w & 31));
      this.matched[w] = 1;
      this.partial[w] = score;
    } else {
      this.matched[w] = (this.matched[w] as number) + 1;
      this.partial[w] = (this.partial[w] as number) + score;
    }
    const cell = w * this.units + this.unit;
    this.scores[cell] = score;
    this.stamps[cell] = this.generation;
  }

  /** Forgets every stamp, so generations can start over (Int32Array stamps would wrap at 2^31). */
  restamp(): void {
    this.stamps.fill(0);
    this.generation = 0;
  }
}

const GENERATION_LIMIT = 2 ** 30;

const shared = new WindowScratch();

/**
 * Top-k by MaxScore (Turtle & Flood 1995, "Query evaluation: strategies and optimizations") over
 * windows of slots, as Lucene's MaxScoreBulkScorer does: units are sorted by their score bound; once
 * the heap is full, the longest prefix of units whose bounds sum below the threshold is
 * "non-essential" (a doc matching only those cannot enter the top k). Each window of WINDOW slots
 * starts at the first posting of an essential unit; the essential units score every posting in the
 * window unit by unit (tight loops over one posting list, no per-doc walk over all units), then each
 * matched slot, in slot order, probes the non-essential units while it can still reach the threshold.
 * Scores are summed in query order from the window's per-unit cells, so the hits equal those of
 * exhaustive scoring (`exhaustiveTopK`) bit for bit. The essential set is fixed for a window and
 * narrowed between windows.
 */
export function maxScoreTopK(input: MatchInput): MatchOutput {
  const scratch = shared.inUse ? new WindowScratch() : shared;
  scratch.inUse = true;
  try {
    return run(input, scratch);
  } finally {
    scratch.inUse = false;
  }
}

// Hot loop (bench/lexical.ts): kept in one function so V8 keeps the state in registers.
function run(input: MatchInput, scratch: WindowScratch): MatchOutput {
  const { units, exclusions, minimumShouldMatch, accept, slotToDoc, exactCountUpTo, onMatch } = input;
  const n = units.length;
  scratch.ensure(n);
  scratch.units = n;
  const { bits, matched: matchedOf, partial: partialOf, scores, stamps } = scratch;
  const heap = new TopKHeap(input.k);
  // order[i]: unit index by ascending bound; prefix[i] = Σ bound of order[0..i].
  const order = units.map((_, i) => i).sort((a, b) => (units[a] as Scorer).maxScore - (units[b] as Scorer).maxScore || a - b);
  const sortedUnits = order.map((i) => units[i] as Scorer);
  const prefix = new Array<number>(n).fill(0);
  let running = 0;
  for (let i = 0; i < n; i++) prefix[i] = running += (sortedUnits[i] as Scorer).maxScore * BOUND_SLACK;
  for (const unit of units) unit.nextDoc();
  let total = 0;
  let totalExact = true;
  let pruning = exactCountUpTo <= 0;
  let threshold = -Infinity;
  let firstEssential = 0;

  for (;;) {
    let lo = NO_MORE_DOCS;
    for (let i = firstEssential; i < n; i++) lo = Math.min(lo, (sortedUnits[i] as Scorer).doc);
    if (lo === NO_MORE_DOCS) break;
    const hi = Math.min(lo + WINDOW, NO_MORE_DOCS);
    if (scratch.generation >= GENERATION_LIMIT) scratch.restamp();
    const generation = ++scratch.generation;
    bits.fill(0);
    const windowEssential = firstEssential;
    // Essential units: every posting in [lo, hi), one unit at a time.
    scratch.lo = lo;
    for (let i = windowEssential; i < n; i++) {
      const unit = sortedUnits[i] as Scorer;
      scratch.unit = order[i] as number;
      if (unit instanceof TermScorer) unit.scoreUpTo(hi, scratch);
      else for (let slot = unit.doc; slot < hi; slot = unit.nextDoc()) scratch.add(slot, unit.score());
    }
    // Matched slots in slot order (non-essential cursors only move forward).
    for (let word = 0; word < bits.length; word++) {
      let pending = bits[word] as number;
      while (pending !== 0) {
        const bit = 31 - Math.clz32(pending & -pending);
        pending &= pending - 1;
        const w = (word << 5) | bit;
        const slot = lo + w;
        if (!accept(slot)) continue;
        let matched = matchedOf[w] as number;
        let partial = partialOf[w] as number;
        let skipped = false;
        for (let i = windowEssential - 1; i >= 0; i--) {
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
          if (unit.doc < slot) unit.advance(slot);
          if (unit.doc !== slot) continue;
          const s = unit.score();
          const u = order[i] as number;
          scores[w * n + u] = s;
          stamps[w * n + u] = generation;
          matched++;
          partial += s;
        }
        if (skipped || matched < minimumShouldMatch) continue;
        if (pruning && partial * BOUND_SLACK < threshold) {
          totalExact = false;
          continue;
        }
        if (excluded(exclusions, slot)) continue;
        // The exact score: the units' scores summed in query order.
        let score = 0;
        for (let u = 0, cell = w * n; u < n; u++, cell++) if (stamps[cell] === generation) score += scores[cell] as number;
        const docId = slotToDoc[slot] as number;
        total++;
        onMatch?.(docId);
        const kept = heap.offer(docId, score);
        if (!pruning && total >= exactCountUpTo) pruning = true;
        if (pruning && kept && heap.full) threshold = heap.threshold;
      }
    }
    if (pruning) {
      while (firstEssential < n && (prefix[firstEssential] as number) < threshold) firstEssential++;
      if (firstEssential > 0) totalExact = false;
    }
  }
  return { hits: heap.sorted(), total, totalExact };
}
