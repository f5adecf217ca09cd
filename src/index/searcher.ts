import { InvalidArgumentError } from '../core/index.js';
import { facetCollector, type FacetCount, type FacetRequest } from './facets.js';
import { compileFilter, toPredicate, type DocAcceptor, type IndexFilter } from './filters.js';
import { currentAverages, fieldBs, fieldWeights, referenceNorms, termBound, type IndexState, type PlanOptions } from './index-state.js';
import { PostingCursor, type CursorPool } from './posting-cursor.js';
import { NO_MORE_DOCS } from './posting-list.js';
import type { Alternative, QueryPlan, QueryUnit } from './query-plan.js';
import { BOUND_SLACK, FieldNorms, idf, saturate } from './scoring.js';
import { ConjunctionScorer, MaxUnionScorer, TermScorer, type ScoreContext, type Scorer } from './scorers.js';
import { maxScoreTopK } from './max-score.js';
import { exhaustiveTopK } from './top-k.js';

export interface SearchOptions extends PlanOptions {
  /** How many hits to return. Default 10. */
  k?: number;
  /** 'and': every query unit must match; 'or': at least `minimumShouldMatch`. Default 'or'. */
  operator?: 'and' | 'or';
  /** With 'or': how many units must match, a count or a share of the units (`'75%'`, rounded down, at least 1). Default 1. */
  minimumShouldMatch?: number | `${number}%`;
  /** A filter over the keyword and numeric fields the index holds. */
  filter?: IndexFilter;
  /** The caller's own restriction: a predicate or a bitset over doc ids. */
  accept?: DocAcceptor;
  /** Counts per value over all matches (forces exhaustive evaluation: every match is visited). */
  facets?: readonly FacetRequest[];
  /** False scores every match (the reference for the pruned path). Default true. */
  prune?: boolean;
  /** Matches are counted exactly up to this many, then pruning starts and `total` is a lower bound. Default 1000. */
  exactCountUpTo?: number;
  /** A query with no searchable terms (only stop words, only filters) matches nothing ('none') or every doc ('all', score 0). Default 'none'. */
  emptyQuery?: 'none' | 'all';
}

export interface SearchHit {
  docId: number;
  score: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** How many docs match; a lower bound when `totalExact` is false (pruning skipped some). */
  total: number;
  totalExact: boolean;
  facets?: Record<string, FacetCount[]>;
  /** What was searched: one entry per query unit with its alternatives. */
  units: { label: string; alternatives: { terms: string[]; kind: Alternative['kind']; factor: number }[] }[];
  /** Things a person should know about how the query was read (e.g. an unbalanced quote). */
  warnings: string[];
}

export const DEFAULT_SEARCH = { k: 10, operator: 'or', minimumShouldMatch: 1, prune: true, exactCountUpTo: 1000, emptyQuery: 'none' } as const;

/** A query unit with a weight on its score (1 for typed queries; feedback gives expansion terms less). */
export interface WeightedUnit extends QueryUnit {
  boost: number;
}

/**
 * Runs a planned query.
 * @throws InvalidArgumentError for bad options (k, minimumShouldMatch, unknown filter or facet fields).
 */
export function runPlan(state: IndexState, plan: QueryPlan, units: readonly WeightedUnit[], options: SearchOptions): SearchResult {
  const k = options.k ?? DEFAULT_SEARCH.k;
  if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`k must be a whole number >= 0, got ${k}`);
  const accept = acceptor(state, plan, options);
  const collector = options.facets === undefined ? undefined : facetCollector(options.facets, state);
  const exhaustive = options.prune === false || collector !== undefined;
  const summary = units.map((u) => ({ label: u.label, alternatives: u.alternatives.map((a) => ({ terms: a.terms, kind: a.kind, factor: a.factor })) }));
  const base = { units: summary, warnings: [...plan.warnings] };
  const pool = state.cursors.open();
  try {
    return evaluate(state, plan, units, options, { k, accept, collector, exhaustive, base, pool });
  } finally {
    pool?.close();
  }
}

function evaluate(
  state: IndexState,
  plan: QueryPlan,
  units: readonly WeightedUnit[],
  options: SearchOptions,
  run: {
    k: number;
    accept: (slot: number) => boolean;
    collector: ReturnType<typeof facetCollector> | undefined;
    exhaustive: boolean;
    base: Pick<SearchResult, 'units' | 'warnings'>;
    pool: CursorPool | undefined;
  },
): SearchResult {
  const { k, accept, collector, exhaustive, base, pool } = run;
  let scorers: Scorer[];
  let minimumShouldMatch: number;
  if (units.length === 0) {
    if ((options.emptyQuery ?? DEFAULT_SEARCH.emptyQuery) === 'none') {
      base.warnings.push('the query has no searchable terms');
      return { hits: [], total: 0, totalExact: true, ...(collector ? { facets: collector.result() } : {}), ...base };
    }
    scorers = [new AllDocsScorer(state.docs.slotCount)];
    minimumShouldMatch = 1;
  } else {
    const context = scoreContext(state, pool);
    scorers = units.map((unit) => unitScorer(state, context, unit));
    minimumShouldMatch = resolveMinimumShouldMatch(options, units.length);
  }
  const exclusionContext = scoreContext(state, pool);
  const output = (exhaustive ? exhaustiveTopK : maxScoreTopK)({
    units: scorers,
    exclusions: plan.exclusions.map((a) => alternativeScorer(state, exclusionContext, a, 1)),
    minimumShouldMatch,
    k,
    accept,
    slotToDoc: state.docs.slotToDoc,
    exactCountUpTo: exhaustive ? Infinity : (options.exactCountUpTo ?? DEFAULT_SEARCH.exactCountUpTo),
    ...(collector ? { onMatch: (docId: number) => collector.add(docId) } : {}),
  });
  return { ...output, ...(collector ? { facets: collector.result() } : {}), ...base };
}

/** The number of units a doc must match. */
export function resolveMinimumShouldMatch(options: SearchOptions, unitCount: number): number {
  if ((options.operator ?? DEFAULT_SEARCH.operator) === 'and') return unitCount;
  const msm = options.minimumShouldMatch ?? DEFAULT_SEARCH.minimumShouldMatch;
  if (typeof msm === 'number') {
    if (!Number.isInteger(msm) || msm < 1) throw new InvalidArgumentError(`minimumShouldMatch must be a whole number >= 1, got ${msm}`);
    return Math.min(msm, unitCount);
  }
  const share = Number(msm.slice(0, -1));
  if (!msm.endsWith('%') || !(share >= 0 && share <= 100)) throw new InvalidArgumentError(`minimumShouldMatch must be a count or a share like "75%", got "${msm}"`);
  return Math.max(1, Math.floor((unitCount * share) / 100));
}

/** Live slots whose doc passes the filter, the keyword clauses and the caller's acceptor. */
export function acceptor(state: IndexState, plan: QueryPlan, options: SearchOptions): (slot: number) => boolean {
  const tests: ((docId: number) => boolean)[] = [];
  if (options.filter !== undefined) tests.push(compileFilter(options.filter, state));
  for (const clause of plan.keywordClauses) {
    const test = compileFilter({ field: clause.field, anyOf: [clause.value] }, state);
    tests.push(clause.negated ? (d) => !test(d) : test);
  }
  const caller = toPredicate(options.accept);
  if (caller !== undefined) tests.push(caller);
  const { live, slotToDoc } = state.docs;
  if (tests.length === 0) return (slot) => live[slot] === 1;
  return (slot) => live[slot] === 1 && tests.every((t) => t(slotToDoc[slot] as number));
}

/**
 * Scoring constants at the current average lengths; also moves MaxScore bounds to a new epoch if
 * needed. Cached until the docs or the parameters change (queries between writes allocate none).
 */
export function scoreContext(state: IndexState, pool?: CursorPool): ScoreContext & { boundRatio: number; referenceNorms: FieldNorms; pool: CursorPool | undefined } {
  let cache = state.normsCache;
  if (cache === undefined || cache.version !== state.docs.version || cache.epoch !== state.epoch.epoch) {
    const averages = currentAverages(state);
    const boundRatio = state.epoch.sync(averages);
    cache = {
      version: state.docs.version,
      epoch: state.epoch.epoch,
      norms: new FieldNorms(fieldWeights(state), fieldBs(state), averages),
      referenceNorms: referenceNorms(state),
      boundRatio,
    };
    state.normsCache = cache;
  }
  return {
    pool,
    lengths: state.docs.lengths,
    fieldCount: state.docs.fieldCount,
    norms: cache.norms,
    k1: state.config.scoring.k1,
    boundRatio: cache.boundRatio,
    referenceNorms: cache.referenceNorms,
  };
}

type Context = ReturnType<typeof scoreContext>;

function unitScorer(state: IndexState, context: Context, unit: WeightedUnit): Scorer {
  const scorers = unit.alternatives.map((a) => alternativeScorer(state, context, a, unit.boost)).filter((s) => !(s instanceof EmptyScorer));
  if (scorers.length === 0) return new EmptyScorer();
  return scorers.length === 1 ? (scorers[0] as Scorer) : new MaxUnionScorer(scorers);
}

/** A scorer for one alternative: a term, or a conjunction / phrase of terms. */
export function alternativeScorer(state: IndexState, context: Context, alternative: Alternative, boost: number): Scorer {
  const weight = boost * alternative.factor;
  const terms = alternative.terms.map((term) => termScorer(state, context, term, alternative.fieldMask, weight));
  if (terms.some((t) => t === undefined)) return new EmptyScorer();
  const present = terms as TermScorer[];
  if (present.length === 1) return present[0] as TermScorer;
  return new ConjunctionScorer(present, alternative.offsets, alternative.fieldMask);
}

/** undefined when no live doc has the term. */
export function termScorer(state: IndexState, context: Context, term: string, fieldMask: number, weight: number): TermScorer | undefined {
  const { dict, docs } = state;
  const id = dict.idOf(term);
  if (id === undefined || (dict.df[id] as number) === 0) return undefined;
  const termWeight = weight * idf(docs.liveCount, dict.df[id] as number);
  const x = termBound(state, id, context.referenceNorms) * context.boundRatio;
  const maxScore = termWeight * saturate(x, context.k1) * BOUND_SLACK;
  const list = dict.lists[id] as NonNullable<(typeof dict.lists)[number]>;
  const cursor = context.pool?.acquire(list) ?? new PostingCursor(list, docs.fieldCount, state.fieldShift);
  return new TermScorer(cursor, termWeight, fieldMask, maxScore, context, { cost: list.count, allFieldsMask: state.allFieldsMask });
}

/** Matches nothing. */
export class EmptyScorer implements Scorer {
  readonly doc = NO_MORE_DOCS;
  readonly maxScore = 0;
  readonly cost = 0;
  nextDoc(): number {
    return NO_MORE_DOCS;
  }
  advance(): number {
    return NO_MORE_DOCS;
  }
  score(): number {
    return 0;
  }
}

/** Every slot (the acceptor drops dead ones), score 0: the empty query with `emptyQuery: 'all'`. */
class AllDocsScorer implements Scorer {
  doc = -1;
  readonly maxScore = 0;
  readonly cost: number;
  constructor(private readonly slotCount: number) {
    this.cost = slotCount;
  }
  nextDoc(): number {
    return this.advance(this.doc + 1);
  }
  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    return (this.doc = target < this.slotCount ? target : NO_MORE_DOCS);
  }
  score(): number {
    return 0;
  }
}
