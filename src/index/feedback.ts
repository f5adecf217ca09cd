import { InvalidArgumentError } from '../core/index.js';
import type { IndexState } from './index-state.js';
import type { SearchHit, WeightedUnit } from './searcher.js';

/**
 * Pseudo-relevance feedback, RM3 (Lavrenko & Croft 2001, "Relevance-based language models"; the
 * interpolation of Abdul-Jaleel et al. 2004, UMass at TREC 2004): the top `docs` hits of a first pass
 * are taken as relevant, each term weighted by P(t|R) = Σ_d P(t|d) · P(d|q) with P(t|d) = tf / |d| and
 * P(d|q) the first-pass score share; the `terms` heaviest join the query with weight
 * (1 − originalWeight) · P(t|R) / Σ P, and each original unit keeps originalWeight / units.
 */
export interface FeedbackOptions {
  /** Feedback docs (the first pass's top hits). */
  docs: number;
  /** Expansion terms added. */
  terms: number;
  /** λ: the share of the query's weight kept by the original units. */
  originalWeight: number;
}

/**
 * Near Anserini's RM3 defaults (10 docs, 10 terms, λ 0.5), chosen on Vaswani for MAP and speed together
 * (docs/lexical.md has the grid): 8 docs, 10 terms, λ = 0.6.
 */
export const DEFAULT_FEEDBACK: FeedbackOptions = { docs: 8, terms: 10, originalWeight: 0.6 };

/** @throws InvalidArgumentError for counts below 1 or a weight outside [0, 1]. */
export function checkFeedback(options: FeedbackOptions): void {
  if (!Number.isInteger(options.docs) || options.docs < 1) throw new InvalidArgumentError(`feedback.docs must be a whole number >= 1, got ${options.docs}`);
  if (!Number.isInteger(options.terms) || options.terms < 1) throw new InvalidArgumentError(`feedback.terms must be a whole number >= 1, got ${options.terms}`);
  if (!(options.originalWeight >= 0 && options.originalWeight <= 1)) {
    throw new InvalidArgumentError(`feedback.originalWeight must be in [0, 1], got ${options.originalWeight}`);
  }
}

/**
 * Buffers reused across queries: P(t|R) by term id, which terms it holds (`seen`, and `touched` in
 * order), and one doc's terms; the selection leaves `weights` and `seen` zeroed. Feedback runs no callback, so a query never re-enters it.
 */
const scratch = { weights: new Float64Array(0), touched: new Int32Array(0), seen: new Uint8Array(0), termIds: new Int32Array(0), termFreqs: new Int32Array(0) };

/** The second-pass units: the original ones reweighted, then the expansion terms over the searched fields. */
export function feedbackUnits(state: IndexState, original: readonly WeightedUnit[], hits: readonly SearchHit[], options: FeedbackOptions & { fieldMask: number }): WeightedUnit[] {
  const top = hits.slice(0, options.docs);
  const scoreSum = top.reduce((sum, h) => sum + h.score, 0);
  if (top.length === 0 || !(scoreSum > 0)) return [...original];
  const expansion = expansionTerms(state, top, scoreSum, options.terms);
  const expansionSum = expansion.reduce((sum, [, w]) => sum + w, 0);
  const kept = original.map((u) => ({ ...u, boost: (u.boost * options.originalWeight) / original.length }));
  const added: WeightedUnit[] = [];
  for (const [termId, w] of expansion) {
    const term = state.dict.terms[termId] as string;
    const boost = ((1 - options.originalWeight) * w) / expansionSum;
    // An expansion term that is already a plain query word adds its weight to that word (same score, one cursor less).
    const same = kept.find((u) => u.alternatives.length === 1 && u.alternatives[0]?.terms.length === 1 && u.alternatives[0].terms[0] === term && u.alternatives[0].fieldMask === options.fieldMask);
    if (same !== undefined) same.boost += boost;
    else added.push({ label: term, alternatives: [{ kind: 'feedback', terms: [term], fieldMask: options.fieldMask, factor: 1 }], boost });
  }
  return [...kept, ...added];
}

/**
 * The `count` terms of largest P(t|R) = Σ_d (tf / |d|) · score share (ties: smaller term id), heaviest
 * first, as [termId, P(t|R)]. Accumulated in a dense array by term id over the docs' forward-index
 * entries, then selected by insertion into a list of `count` (no sort of every term).
 */
function expansionTerms(state: IndexState, top: readonly SearchHit[], scoreSum: number, count: number): [number, number][] {
  const { docs, dict } = state;
  if (scratch.weights.length < dict.size) {
    scratch.weights = new Float64Array(dict.size * 2);
    scratch.touched = new Int32Array(dict.size * 2);
    scratch.seen = new Uint8Array(dict.size * 2);
  }
  const { weights, touched, seen } = scratch;
  let touchedCount = 0;
  for (const hit of top) {
    const slot = docs.slotOf(hit.docId);
    const terms = docs.termCount(slot);
    if (scratch.termIds.length < terms) {
      scratch.termIds = new Int32Array(terms * 2);
      scratch.termFreqs = new Int32Array(terms * 2);
    }
    const { termIds, termFreqs } = scratch;
    docs.readTerms(slot, termIds, termFreqs);
    let length = 0;
    for (let i = 0; i < terms; i++) length += termFreqs[i] as number;
    const share = hit.score / scoreSum;
    for (let i = 0; i < terms; i++) {
      const termId = termIds[i] as number;
      if (seen[termId] === 0) {
        seen[termId] = 1;
        touched[touchedCount++] = termId;
      }
      weights[termId] = (weights[termId] as number) + ((termFreqs[i] as number) / length) * share;
    }
  }
  const best: [number, number][] = [];
  for (let i = 0; i < touchedCount; i++) {
    const termId = touched[i] as number;
    const w = weights[termId] as number;
    weights[termId] = 0;
    seen[termId] = 0;
    if (best.length === count) {
      if (!heavier(w, termId, best[count - 1] as [number, number])) continue;
      best.pop();
    }
    let at = best.length;
    while (at > 0 && heavier(w, termId, best[at - 1] as [number, number])) at--;
    best.splice(at, 0, [termId, w]);
  }
  return best;
}

function heavier(weight: number, termId: number, than: readonly [number, number]): boolean {
  return weight > than[1] || (weight === than[1] && termId < than[0]);
}
