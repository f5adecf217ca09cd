import type { ScoredCandidate, StageContext } from '../core/index.js';

/**
 * The output list for a selection `order` (indices into `list`, best first): the selected items in
 * that order, then, when `rest` is `append`, the unselected ones in their input order.
 */
export function applyOrder(
  list: readonly ScoredCandidate[],
  order: ArrayLike<number>,
  rest: 'append' | 'drop',
): ScoredCandidate[] {
  const out: ScoredCandidate[] = [];
  const taken = new Uint8Array(list.length);
  for (let t = 0; t < order.length; t++) {
    const i = order[t] as number;
    taken[i] = 1;
    out.push(list[i] as ScoredCandidate);
  }
  if (rest === 'append') for (let i = 0; i < list.length; i++) if (taken[i] === 0) out.push(list[i] as ScoredCandidate);
  return out;
}

/**
 * Records in the trace every item whose 1-based position changed from `before` to `after`, with the
 * reason `why` gives. Costs nothing unless the trace is detailed.
 */
export function recordMoves(
  context: StageContext,
  reranker: string,
  lists: { before: readonly ScoredCandidate[]; after: readonly ScoredCandidate[] },
  why: (docId: number, from: number, to: number) => string,
): void {
  if (!context.trace.detailed) return;
  const from = new Map<number, number>();
  lists.before.forEach((c, i) => from.set(c.docId, i + 1));
  lists.after.forEach((c, i) => {
    const was = from.get(c.docId);
    if (was !== undefined && was !== i + 1) context.trace.move({ reranker, docId: c.docId, from: was, to: i + 1, reason: why(c.docId, was, i + 1) });
  });
}

/**
 * Scores mapped to [0, 1] by min-max over the list, so a trade-off parameter (MMR's lambda, DPP's
 * theta) means the same whatever the ranker's scale. A list of equal scores maps to all ones. [n]
 */
export function normalizedScores(list: readonly ScoredCandidate[]): Float64Array {
  const out = new Float64Array(list.length);
  let min = Infinity;
  let max = -Infinity;
  for (const c of list) {
    if (c.score < min) min = c.score;
    if (c.score > max) max = c.score;
  }
  const span = max - min;
  list.forEach((c, i) => (out[i] = span > 0 && Number.isFinite(span) ? (c.score - min) / span : 1));
  return out;
}
