/**
 * SUG, suggestions while typing: completion of what the user typed with mined queries, by text,
 * full pinyin, pinyin initials, mixed Han and pinyin, and (for Latin input) with one typo.
 *
 * Each key space is a `CompletionIndex` with the best `topK` queries precomputed per node, ranked
 * by the static score of `suggest-ranking.ts`. A request gathers the precomputed lists of the nodes
 * its input reaches (at most a few per key space, more for typos), subtracts each match's penalty,
 * adds the user's category affinity, and returns the best `limit` (exact matches before typo
 * matches): the personal term re-ranks the precomputed candidates, it does not reach below them.
 */

import { CancelledError, InvalidArgumentError, RECORD_LIMITS } from '../core/index.js';
import { CompletionIndex, type CompletionKey } from './completion-index.js';
import { transliterations } from './mixed-input.js';
import type { CategoryShare, MinedQuery } from './query-miner.js';
import { typedPrefix } from './query-text.js';
import { hasHan, matchesTyped, romanize } from './romanize.js';
import { categoryAffinity, DEFAULT_SUGGEST_RANKING, staticScores, type CategoryPreferences, type SuggestRanking } from './suggest-ranking.js';
import { suggestionKeys, SyllableTable } from './suggestion-keys.js';
import { typoRanges } from './typo-ranges.js';

export interface QuerySuggesterConfig {
  /** Completions precomputed per node: the candidates a request re-ranks, and the largest `limit`. */
  topK: number;
  ranking: SuggestRanking;
  /**
   * Typos are tolerated in Latin input of at least this many characters, when exact matches are
   * fewer than `limit`; a suggestion reached only through a typo ranks after every exact one.
   */
  typoMinLength: number;
  /** Characters a typo may substitute or insert. */
  typoAlphabet: string;
  /** The first this many typed characters are taken as typed (no typo there). */
  typoFixedPrefix: number;
  /** Longer input is refused (characters, before normalisation). */
  maxPrefixLength: number;
  /** Mixed input: at most this many pinyin transliterations are looked up. */
  maxTransliterations: number;
  /** How many of the top suggestions get category-scoped variants (`手机 in 数码`). */
  scopedSuggestions: number;
  /** At most this many scopes per suggestion, each with at least `minScopeShare` of its clicks. */
  scopesPerSuggestion: number;
  minScopeShare: number;
}

export const DEFAULT_QUERY_SUGGESTER: QuerySuggesterConfig = {
  topK: 32,
  ranking: DEFAULT_SUGGEST_RANKING,
  typoMinLength: 4,
  typoAlphabet: 'abcdefghijklmnopqrstuvwxyz0123456789',
  typoFixedPrefix: 1,
  maxPrefixLength: RECORD_LIMITS.queryLength,
  maxTransliterations: 8,
  scopedSuggestions: 1,
  scopesPerSuggestion: 2,
  minScopeShare: 0.25,
};

/** How the input reached a suggestion. */
export type SuggestionMatch = 'prefix' | 'romanized' | 'initials' | 'mixed' | 'typo';

export interface QuerySuggestion {
  text: string;
  /** Times the query was issued. */
  count: number;
  /** The final score (log units; see `suggest-ranking.ts`). */
  score: number;
  match: SuggestionMatch;
}

/** A suggestion within one of its dominant categories, shown as `手机 in 数码`. */
export interface ScopedSuggestion {
  text: string;
  category: string;
  share: number;
}

export interface SuggestOptions {
  /** How many suggestions, 1 to `topK`; default 10 (capped at `topK`). */
  limit?: number;
  /** The user's interest per category, for the personal term. */
  categories?: CategoryPreferences;
}

export interface SuggestResult {
  suggestions: QuerySuggestion[];
  scoped: ScopedSuggestion[];
  /** The input as compared (normalised; a trailing space kept). */
  normalizedPrefix: string;
  /** Distinct candidates re-ranked. */
  candidates: number;
}

/** Settings of `QuerySuggester.build`: any subset, the ranking weights too. */
export type QuerySuggesterOptions = Partial<Omit<QuerySuggesterConfig, 'ranking'>> & { ranking?: Partial<SuggestRanking> };

export interface BuildProgress {
  phase: 'romanize' | 'index';
  done: number;
  total: number;
}

interface Candidate {
  score: number;
  match: SuggestionMatch;
  /** Reached only through a typo: ranked after every exact match. */
  typo: boolean;
}

interface Ranked extends Candidate {
  e: number;
}

const LATIN_OR_DIGIT = /[a-z0-9]/;
const CHUNK = 2_000;

export class QuerySuggester {
  readonly config: QuerySuggesterConfig;
  private readonly texts: string[];
  private readonly counts: Float64Array;
  private readonly scores: Float64Array;
  private readonly rank: Uint32Array;
  private readonly categories: (readonly CategoryShare[] | undefined)[];
  /** 1 for a query with Han characters: its romanized key is pinyin, else its text without spaces. */
  private readonly han: Uint8Array;
  private readonly text: CompletionIndex;
  private readonly romanized: CompletionIndex;
  private readonly initials: CompletionIndex;
  private readonly syllables: SyllableTable;

  private constructor(parts: {
    config: QuerySuggesterConfig;
    mined: readonly MinedQuery[];
    scores: Float64Array;
    rank: Uint32Array;
    indexes: [CompletionIndex, CompletionIndex, CompletionIndex];
    syllables: SyllableTable;
  }) {
    this.config = parts.config;
    this.texts = parts.mined.map((q) => q.text);
    this.counts = Float64Array.from(parts.mined, (q) => q.count);
    this.categories = parts.mined.map((q) => (q.categories.length > 0 ? q.categories : undefined));
    this.han = Uint8Array.from(parts.mined, (q) => (hasHan(q.text) ? 1 : 0));
    this.scores = parts.scores;
    this.rank = parts.rank;
    [this.text, this.romanized, this.initials] = parts.indexes;
    this.syllables = parts.syllables;
  }

  /**
   * Builds the suggester from mined queries (defaults: `DEFAULT_QUERY_SUGGESTER`, ranking
   * `DEFAULT_SUGGEST_RANKING`). Yields to the event loop between chunks, so a signal can stop it;
   * `onProgress` is told each chunk. About 20 s of CPU for 1,000,000 Chinese queries, mostly pinyin.
   * @throws InvalidArgumentError on a bad configuration; CancelledError when `signal` aborts.
   */
  static async build(
    mined: readonly MinedQuery[],
    options: { config?: QuerySuggesterOptions; signal?: AbortSignal; onProgress?: (progress: BuildProgress) => void } = {},
  ): Promise<QuerySuggester> {
    const steps = QuerySuggester.buildSteps(mined, options.config);
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done === true) {
        options.onProgress?.({ phase: 'index', done: 3, total: 3 });
        return step.value;
      }
      await pause(options.signal, () => options.onProgress?.(step.value));
    }
  }

  /**
   * As `build`, in one synchronous run (no progress, no cancellation): for callers that cannot
   * wait, such as the engine's rebuild of a small structure inside a request. Same result as `build`.
   * @throws InvalidArgumentError on a bad configuration.
   */
  static buildSync(mined: readonly MinedQuery[], options: { config?: QuerySuggesterOptions } = {}): QuerySuggester {
    const steps = QuerySuggester.buildSteps(mined, options.config);
    for (let step = steps.next(); ; step = steps.next()) if (step.done === true) return step.value;
  }

  /** The build, yielding its progress between chunks (the caller decides whether to pause there). */
  private static *buildSteps(mined: readonly MinedQuery[], options: QuerySuggesterOptions | undefined): Generator<BuildProgress, QuerySuggester> {
    const config = { ...DEFAULT_QUERY_SUGGESTER, ...options, ranking: { ...DEFAULT_SUGGEST_RANKING, ...options?.ranking } };
    validateConfig(config);
    const scores = staticScores(mined, config.ranking);
    const rank = rankOf(mined, scores);
    const text: CompletionKey[] = [];
    const romanized: CompletionKey[] = [];
    const initials: CompletionKey[] = [];
    const syllables: (string[] | undefined)[] = [];
    for (let e = 0; e < mined.length; e++) {
      if (e % CHUNK === 0) yield { phase: 'romanize', done: e, total: mined.length };
      const q = mined[e] as MinedQuery;
      const romanization = romanize(q.text);
      const keys = suggestionKeys(q.text, q.variants, romanization);
      for (const key of keys.text) text.push({ key, entry: e });
      if (keys.romanized !== undefined) romanized.push({ key: keys.romanized, entry: e });
      if (keys.initials !== undefined) initials.push({ key: keys.initials, entry: e });
      syllables.push(hasHan(q.text) ? romanization.syllables : undefined);
    }
    const indexes: CompletionIndex[] = [];
    for (const [i, keys] of [text, romanized, initials].entries()) {
      yield { phase: 'index', done: i, total: 3 };
      indexes.push(new CompletionIndex(keys, rank, config.topK));
    }
    const [t, r, s] = indexes as [CompletionIndex, CompletionIndex, CompletionIndex];
    return new QuerySuggester({ config, mined, scores, rank, indexes: [t, r, s], syllables: new SyllableTable(syllables) });
  }

  /** Queries that can be suggested. */
  get size(): number {
    return this.texts.length;
  }

  /** Keys and precomputed lists per key space (for memory reports). */
  get stats(): Record<'text' | 'romanized' | 'initials', { keys: number; nodes: number; listEntries: number }> {
    const of = (index: CompletionIndex) => ({ keys: index.size, ...index.precomputed });
    return { text: of(this.text), romanized: of(this.romanized), initials: of(this.initials) };
  }

  /**
   * The best completions of `input` (see the module comment for how they are found and ranked).
   * Empty or white-space input has no suggestions.
   * @throws InvalidArgumentError when the input is longer than `maxPrefixLength`, holds a control
   *   character, or `limit` is not an integer from 1 to `topK`.
   */
  suggest(input: string, options: SuggestOptions = {}): SuggestResult {
    const limit = options.limit ?? Math.min(10, this.config.topK);
    if (!Number.isInteger(limit) || limit < 1 || limit > this.config.topK) {
      throw new InvalidArgumentError(`limit must be an integer from 1 to ${this.config.topK}, got ${limit}`);
    }
    const prefix = typedPrefix(input, this.config.maxPrefixLength);
    if (prefix === '') return { suggestions: [], scoped: [], normalizedPrefix: prefix, candidates: 0 };
    const candidates = this.candidatesOf(prefix, limit);
    const top = this.rerank(candidates, options.categories).slice(0, limit);
    return { suggestions: top.map((r) => this.suggestionOf(r)), scoped: this.scopedOf(top), normalizedPrefix: prefix, candidates: candidates.size };
  }

  /** Every candidate the input reaches, with its best static score minus match penalty. */
  private candidatesOf(prefix: string, limit: number): Map<number, Candidate> {
    const { ranking } = this.config;
    const found = new Map<number, Candidate>();
    const compact = prefix.replace(/ /g, '');
    this.consider(found, this.text.top(this.text.range(prefix)), 0, 'prefix');
    if (compact === '') return found;
    if (!hasHan(compact)) {
      this.consider(found, this.romanized.top(this.romanized.range(compact)), ranking.romanizedPenalty, 'romanized', undefined, ranking.compactPenalty);
      this.consider(found, this.initials.top(this.initials.range(compact)), ranking.initialsPenalty, 'initials');
      if (found.size < limit && compact.length >= this.config.typoMinLength) this.considerTypos(found, prefix, compact);
    } else if (LATIN_OR_DIGIT.test(compact)) {
      this.considerMixed(found, compact);
    }
    return found;
  }

  private considerTypos(found: Map<number, Candidate>, prefix: string, compact: string): void {
    const { ranking } = this.config;
    const options = { alphabet: this.config.typoAlphabet, fixed: this.config.typoFixedPrefix };
    for (const range of typoRanges(this.text, prefix, options)) {
      this.consider(found, this.text.top(range), 0, 'typo');
    }
    for (const range of typoRanges(this.romanized, compact, options)) {
      this.consider(found, this.romanized.top(range), ranking.romanizedPenalty, 'typo', undefined, ranking.compactPenalty);
    }
  }

  private considerMixed(found: Map<number, Candidate>, compact: string): void {
    const typed = Array.from(compact);
    const { full, initials } = transliterations(typed, this.config.maxTransliterations);
    const verified = (e: number) => {
      const syllables = this.syllables.syllablesOf(e);
      return syllables !== undefined && matchesTyped(typed, Array.from(this.texts[e] as string), syllables);
    };
    const penalty = this.config.ranking.mixedPenalty;
    for (const key of full) this.consider(found, this.romanized.top(this.romanized.range(key)), penalty, 'mixed', verified);
    for (const key of initials) this.consider(found, this.initials.top(this.initials.range(key)), penalty, 'mixed', verified);
  }

  /**
   * Adds the entries reached, each with its static score minus `penalty`; in the romanized key space,
   * an entry without Han characters (reached by its text without spaces) with `compactPenalty` instead.
   */
  private consider(found: Map<number, Candidate>, entries: ArrayLike<number>, penalty: number, match: SuggestionMatch, accept?: (e: number) => boolean, compactPenalty = penalty): void {
    const typo = match === 'typo';
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as number;
      const score = (this.scores[e] as number) - (this.han[e] === 1 ? penalty : compactPenalty);
      const seen = found.get(e);
      // An exact match is never replaced by a typo match; within a kind, the better score stays.
      if (seen !== undefined && ((!seen.typo && typo) || (seen.typo === typo && seen.score >= score))) continue;
      if (accept !== undefined && !accept(e)) continue;
      found.set(e, { score, match, typo });
    }
  }

  /** Candidates with the personal term added, best first (ties by static rank). */
  private rerank(candidates: Map<number, Candidate>, preferences: CategoryPreferences | undefined): Ranked[] {
    const weight = this.config.ranking.affinity;
    const ranked = [...candidates].map(([e, c]) => {
      const categories = this.categories[e];
      const personal = weight !== 0 && categories !== undefined ? weight * categoryAffinity(categories, preferences) : 0;
      return { e, score: c.score + personal, match: c.match, typo: c.typo };
    });
    return ranked.sort((a, b) => Number(a.typo) - Number(b.typo) || b.score - a.score || (this.rank[a.e] as number) - (this.rank[b.e] as number));
  }

  private suggestionOf({ e, score, match }: Ranked): QuerySuggestion {
    return { text: this.texts[e] as string, count: this.counts[e] as number, score, match };
  }

  private scopedOf(top: readonly Ranked[]): ScopedSuggestion[] {
    const scoped: ScopedSuggestion[] = [];
    for (const { e } of top.slice(0, this.config.scopedSuggestions)) {
      for (const { category, share } of (this.categories[e] ?? []).slice(0, this.config.scopesPerSuggestion)) {
        if (share >= this.config.minScopeShare) scoped.push({ text: this.texts[e] as string, category, share });
      }
    }
    return scoped;
  }
}

/** rank[e]: 0 for the best static score; ties by text in code-unit order, so the order never depends on input order. */
function rankOf(mined: readonly MinedQuery[], scores: Float64Array): Uint32Array {
  const order = Array.from(mined.keys()).sort((a, b) => {
    const diff = (scores[b] as number) - (scores[a] as number);
    if (diff !== 0) return diff;
    const ta = (mined[a] as MinedQuery).text;
    const tb = (mined[b] as MinedQuery).text;
    return ta < tb ? -1 : ta > tb ? 1 : a - b;
  });
  const rank = new Uint32Array(mined.length);
  order.forEach((e, r) => (rank[e] = r));
  return rank;
}

function validateConfig(config: QuerySuggesterConfig): void {
  const { topK, typoMinLength, maxPrefixLength, maxTransliterations } = config;
  if (!Number.isInteger(topK) || topK < 1 || topK > 1_000) throw new InvalidArgumentError(`topK must be an integer from 1 to 1000, got ${topK}`);
  if (!(typoMinLength >= 1) || !(maxPrefixLength >= 1) || !(maxTransliterations >= 1)) {
    throw new InvalidArgumentError(`typoMinLength, maxPrefixLength and maxTransliterations must be >= 1, got ${typoMinLength}, ${maxPrefixLength}, ${maxTransliterations}`);
  }
  for (const [name, value] of Object.entries(config.ranking)) {
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`ranking.${name} must be a finite number, got ${value}`);
  }
}

async function pause(signal: AbortSignal | undefined, report: () => void): Promise<void> {
  report();
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal?.aborted === true) throw new CancelledError('building the suggester was cancelled', { cause: signal.reason });
}
