import type { ExplainNode } from '../core/index.js';
import type { IndexState } from './index-state.js';
import type { Alternative } from './query-plan.js';
import { alternativeScorer, scoreContext, termScorer, type WeightedUnit } from './searcher.js';
import { idf } from './scoring.js';

type Context = ReturnType<typeof scoreContext>;

/**
 * The score of `slot` as a tree: the sum of unit scores, each unit the best of its alternatives, each
 * term BM25F's parts (idf with N and df, tf~ with each field's w, tf, len, avglen and b). Values are
 * computed by the same scorers search uses, so the root equals the hit's score.
 */
export function explainSlot(state: IndexState, units: readonly WeightedUnit[], slot: number): { node: ExplainNode; matchedUnits: number } {
  const context = scoreContext(state);
  let total = 0;
  let matchedUnits = 0;
  const children = units.map((unit) => {
    const node = explainUnit(state, context, unit, slot);
    if (node.value > 0 || matchesAny(state, context, unit, slot)) matchedUnits++;
    total += node.value;
    return node;
  });
  return { node: { label: `sum of ${matchedUnits} matched query units (of ${units.length})`, value: total, children }, matchedUnits };
}

function matchesAny(state: IndexState, context: Context, unit: WeightedUnit, slot: number): boolean {
  return unit.alternatives.some((a) => alternativeScorer(state, context, a, unit.boost).advance(slot) === slot);
}

function explainUnit(state: IndexState, context: Context, unit: WeightedUnit, slot: number): ExplainNode {
  const children = unit.alternatives.map((a) => explainAlternative(state, context, a, unit.boost, slot));
  const value = Math.max(0, ...children.map((c) => c.value));
  const boost = unit.boost === 1 ? '' : ` × boost ${round(unit.boost)}`;
  return { label: `unit "${unit.label}": best of ${children.length} alternative(s)${boost}`, value, children };
}

/** An alternative: its scorer's value at the slot, with one BM25F subtree per term. */
export function explainAlternative(state: IndexState, context: Context, alternative: Alternative, boost: number, slot: number): ExplainNode {
  const scorer = alternativeScorer(state, context, alternative, boost);
  const matches = scorer.advance(slot) === slot;
  const shape = alternative.terms.length === 1 ? '' : alternative.offsets === undefined ? ' (all terms)' : ' (phrase)';
  const label = `${alternative.kind} "${alternative.terms.join(' ')}"${shape} × factor ${round(alternative.factor)}${matches ? '' : ': no match'}`;
  if (!matches) return { label, value: 0 };
  const children = alternative.terms.map((term) => explainTerm(state, context, term, alternative.fieldMask, boost * alternative.factor, slot));
  return { label, value: scorer.score(), children };
}

function explainTerm(state: IndexState, context: Context, term: string, fieldMask: number, weight: number, slot: number): ExplainNode {
  const scorer = termScorer(state, context, term, fieldMask, weight);
  if (scorer === undefined || scorer.advance(slot) !== slot) return { label: `term "${term}": not in this doc`, value: 0 };
  const id = state.dict.idOf(term) as number;
  const df = state.dict.df[id] as number;
  const n = state.docs.liveCount;
  const x = scorer.tfNorm();
  const fields: ExplainNode[] = [];
  const cursor = scorer.cursor;
  for (let e = cursor.entryStart[cursor.index] as number; e < (cursor.entryStart[cursor.index + 1] as number); e++) {
    const f = cursor.entryFields[e] as number;
    if (((fieldMask >>> f) & 1) === 0) continue;
    const tf = cursor.entryTfs[e] as number;
    const length = context.lengths[slot * context.fieldCount + f] as number;
    const field = state.config.fields[f];
    const b = field?.b ?? state.config.scoring.b;
    fields.push({
      label: `${field?.name}: w = ${field?.weight}, tf = ${tf}, len = ${length}, avglen = ${round(state.docs.averageLength(f))}, b = ${b}`,
      value: context.norms.term(f, tf, length),
    });
  }
  return {
    label: `term "${term}": weight × idf × tf~ / (k1 + tf~), k1 = ${context.k1}`,
    value: scorer.score(),
    children: [
      { label: 'weight (factor × boost)', value: weight },
      { label: `idf = ln(1 + (N − df + 0.5) / (df + 0.5)), N = ${n}, df = ${df}`, value: idf(n, df) },
      { label: 'tf~ = Σ_f w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)', value: x, children: fields },
    ],
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
