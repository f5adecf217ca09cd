import type { ResolvedConfig } from './config.js';
import type { DocTable } from './doc-table.js';
import type { KeywordValues, NumericValues } from './field-values.js';
import type { QueryPlan } from './query-plan.js';
import { PostingCursor, type CursorPool } from './posting-cursor.js';
import { NO_MORE_DOCS } from './posting-list.js';
import { FieldNorms, type NormEpoch } from './scoring.js';
import type { TermDictionary } from './term-dictionary.js';

/** The parts of an index the search, explain and snapshot code read. */
export interface IndexState {
  config: ResolvedConfig;
  docs: DocTable;
  dict: TermDictionary;
  epoch: NormEpoch;
  keywords: Map<string, KeywordValues>;
  numbers: Map<string, NumericValues>;
  /** Bits per field id in posting codes, plus one (see posting-list.ts). */
  fieldShift: number;
  allFieldsMask: number;
  cursors: CursorPool;
  /** Field norms for the current statistics, reused until the docs or the scoring parameters change. */
  normsCache: NormsCache | undefined;
  /** Builds the plan of a query (parsing, analysis, synonyms, typos). */
  plan: (query: string, options: PlanOptions) => QueryPlan;
}

export interface NormsCache {
  /** The DocTable version and norm epoch it was computed at. */
  version: number;
  epoch: number;
  norms: FieldNorms;
  referenceNorms: FieldNorms;
  boundRatio: number;
}

export interface PlanOptions {
  fields?: readonly string[];
  typos?: boolean;
  synonyms?: boolean;
}

export function fieldWeights(state: IndexState): number[] {
  return state.config.fields.map((f) => f.weight);
}

export function fieldBs(state: IndexState): number[] {
  return state.config.fields.map((f) => f.b ?? state.config.scoring.b);
}

/** The average length of every field over live docs. */
export function currentAverages(state: IndexState): Float64Array {
  return Float64Array.from(state.config.fields, (_, f) => state.docs.averageLength(f));
}

/** Norms at the epoch's reference averages: what MaxScore bounds are computed with. */
export function referenceNorms(state: IndexState): FieldNorms {
  return new FieldNorms(fieldWeights(state), fieldBs(state), state.epoch.reference);
}

/**
 * The term's max tf~ over all its postings at the reference averages, computed by one scan when the
 * cached value belongs to an older epoch.
 */
export function termBound(state: IndexState, termId: number, norms: FieldNorms): number {
  const { dict, docs } = state;
  if (dict.maxEpoch[termId] === state.epoch.epoch) return dict.maxTfNorm[termId] as number;
  const list = dict.lists[termId] as NonNullable<(typeof dict.lists)[number]>;
  const cursor = new PostingCursor(list, docs.fieldCount, state.fieldShift);
  let max = 0;
  for (let slot = cursor.nextDoc(); slot !== NO_MORE_DOCS; slot = cursor.nextDoc()) {
    max = Math.max(max, postingTfNorm(cursor, slot, docs.lengths, docs.fieldCount, norms));
  }
  dict.maxTfNorm[termId] = max;
  dict.maxEpoch[termId] = state.epoch.epoch;
  return max;
}

/** tf~ of the cursor's current posting over all its fields. */
export function postingTfNorm(cursor: PostingCursor, slot: number, lengths: Uint32Array, fieldCount: number, norms: FieldNorms): number {
  let x = 0;
  const i = cursor.index;
  for (let e = cursor.entryStart[i] as number, end = cursor.entryStart[i + 1] as number; e < end; e++) {
    const field = cursor.entryFields[e] as number;
    x += norms.term(field, cursor.entryTfs[e] as number, lengths[slot * fieldCount + field] as number);
  }
  return x;
}

