import { AlreadyExistsError, InvalidArgumentError, NotFoundError, type ExplainNode } from '../core/index.js';
import { resolveConfig, type IndexConfig, type ResolvedConfig, type ScoringParams, checkScoring } from './config.js';
import { DocBuilder } from './doc-builder.js';
import { DocTable } from './doc-table.js';
import { CursorPool } from './posting-cursor.js';
import { explainAlternative, explainSlot } from './explain.js';
import { checkFeedback, DEFAULT_FEEDBACK, feedbackUnits, type FeedbackOptions } from './feedback.js';
import { checkKeywordValue, checkNumericValue, KeywordValues, NumericValues } from './field-values.js';
import { currentAverages, referenceNorms, type IndexState, type PlanOptions } from './index-state.js';
import { parseQuery } from './query-parser.js';
import { planQuery, type AnalyzerGroup, type QueryPlan } from './query-plan.js';
import { acceptor, resolveMinimumShouldMatch, runPlan, scoreContext, type SearchOptions, type SearchResult, type WeightedUnit } from './searcher.js';
import { NormEpoch, type FieldNorms } from './scoring.js';
import { SynonymTable } from './synonyms.js';
import { TermDictionary } from './term-dictionary.js';
import { findTypoTerms, type TypoMatch } from './typo-matcher.js';
import { compactIndex } from './compact.js';

/** A doc as the index takes it: text fields (string or string[]), keyword fields (string or string[]), numeric fields. */
export type IndexDoc = Readonly<Record<string, unknown>>;

export interface IndexSearchOptions extends SearchOptions {
  /** RM3 pseudo-relevance feedback: true for {@link DEFAULT_FEEDBACK}, or its settings. Needs minimumShouldMatch 1. Default off. */
  feedback?: boolean | Partial<FeedbackOptions>;
}

export interface IndexStats {
  docs: number;
  deadSlots: number;
  terms: number;
  /** Bytes of postings (doc gaps, frequencies, positions, skips) and of the forward index. */
  postingBytes: number;
  forwardBytes: number;
  averageLengths: Record<string, number>;
}

/**
 * An inverted index over dense doc ids, usable on its own: text fields scored by BM25F, keyword and
 * numeric fields for filters and facets, typo-tolerant and synonym-expanded queries, top-k by MaxScore,
 * explanations, incremental add / update / delete, snapshots (`snapshot.ts`). Knows nothing of the engine.
 */
export class InvertedIndex {
  private readonly state: IndexState;
  private readonly builder: DocBuilder;
  private readonly groups: AnalyzerGroup[];
  private readonly synonyms: SynonymTable | undefined;
  /** Field names `field:` may use, text field bits, keyword field names: fixed by the configuration. */
  private readonly queryFields: { known: ReadonlySet<string>; textBits: ReadonlyMap<string, number>; keywords: ReadonlySet<string> };
  private referenceNorms: { epoch: number; norms: FieldNorms } | undefined;
  /** findTypoTerms results by `budget:term`, valid while the dictionary has `size` terms (new terms clear it). */
  private readonly typoCache = { size: -1, entries: new Map<string, TypoMatch[]>() };
  private termIds = new Int32Array(64);
  private termFreqs = new Int32Array(64);

  /** @throws InvalidArgumentError for an invalid configuration (see `resolveConfig`). */
  constructor(config: IndexConfig) {
    const resolved = resolveConfig(config);
    const fieldCount = resolved.fields.length;
    const fieldBits = fieldCount <= 1 ? 0 : Math.ceil(Math.log2(fieldCount));
    this.state = {
      config: resolved,
      docs: new DocTable(fieldCount),
      dict: new TermDictionary(),
      epoch: new NormEpoch(fieldCount),
      keywords: new Map(resolved.keywords.map((k) => [k.name, new KeywordValues(k.name, k.hierarchical)])),
      numbers: new Map(resolved.numbers.map((n) => [n.name, new NumericValues(n.name)])),
      fieldShift: fieldBits + 1,
      allFieldsMask: (1 << fieldCount) - 1,
      cursors: new CursorPool(fieldCount, fieldBits + 1),
      normsCache: undefined,
      plan: (query, options) => this.plan(query, options),
    };
    this.builder = new DocBuilder(resolved.fields);
    this.groups = analyzerGroups(resolved);
    this.synonyms = resolved.synonyms.length === 0 ? undefined : new SynonymTable(resolved.synonyms, (this.groups[0] as AnalyzerGroup).analyzer);
    this.queryFields = {
      known: new Set([...resolved.fields.map((f) => f.name), ...resolved.keywords.map((k) => k.name)]),
      textBits: new Map(resolved.fields.map((f, i) => [f.name, i])),
      keywords: new Set(resolved.keywords.map((k) => k.name)),
    };
  }

  /** Live docs. */
  get size(): number {
    return this.state.docs.liveCount;
  }

  get config(): ResolvedConfig {
    return this.state.config;
  }

  /** The analyzer name of each text field, as recorded in snapshots. */
  get analyzerNames(): Record<string, string> {
    return Object.fromEntries(this.state.config.fields.map((f) => [f.name, f.analyzer.name]));
  }

  /** The largest doc id ever used, plus one: what `add` without an id assigns next. */
  get nextDocId(): number {
    return this.state.docs.docIdEnd;
  }

  has(docId: number): boolean {
    return this.state.docs.slotOf(docId) >= 0;
  }

  /**
   * Adds a doc under `docId` (default: {@link nextDocId}) and returns its id.
   * @throws AlreadyExistsError when the id is live; InvalidArgumentError for a bad id or field value.
   */
  add(doc: IndexDoc, docId: number = this.nextDocId): number {
    checkDocId(docId);
    if (this.has(docId)) throw new AlreadyExistsError(`doc id ${docId} is already in the index (use update)`);
    this.insert(docId, doc);
    return docId;
  }

  /**
   * Replaces the doc under `docId`, or adds it if absent. Validation happens before anything changes.
   * @throws InvalidArgumentError for a bad id or field value.
   */
  update(docId: number, doc: IndexDoc): void {
    checkDocId(docId);
    this.insert(docId, doc);
    this.maybeCompact();
  }

  /** Removes a doc: never returned again, statistics (N, df, average lengths) updated. False if absent. */
  delete(docId: number): boolean {
    const slot = this.state.docs.slotOf(docId);
    if (slot < 0) return false;
    this.kill(slot);
    for (const values of this.state.keywords.values()) values.clear(docId);
    for (const values of this.state.numbers.values()) values.clear(docId);
    this.maybeCompact();
    return true;
  }

  /**
   * Searches: `query` in the syntax of `parseQuery` (words, "phrases", -exclusions, field:term).
   * @throws InvalidArgumentError for a query over the length limit or bad options.
   */
  search(query: string, options: IndexSearchOptions = {}): SearchResult {
    const { plan, units, firstPass } = this.prepare(query, options);
    if (firstPass === undefined) return runPlan(this.state, plan, units, options);
    // With feedback, the count and the facets are those of the typed query (the first pass); the
    // expanded query only reranks, so it needs no exact count.
    const second = runPlan(this.state, plan, units, { ...options, facets: undefined, exactCountUpTo: 0 });
    const { total, totalExact, facets } = firstPass;
    return { ...second, total, totalExact, ...(facets === undefined ? {} : { facets }), warnings: firstPass.warnings };
  }

  /**
   * Why `docId` scores what it does for `query` (with the same options as `search`): a tree whose root
   * value is the doc's score, or 0 with the reason when the doc does not match.
   * @throws NotFoundError when the doc is not in the index.
   */
  explain(query: string, docId: number, options: IndexSearchOptions = {}): ExplainNode {
    const slot = this.state.docs.slotOf(docId);
    if (slot < 0) throw new NotFoundError(`doc id ${docId} is not in the index`);
    const { plan, units } = this.prepare(query, options);
    const { node, matchedUnits } = explainSlot(this.state, units, slot);
    const reason = this.mismatch(plan, units, slot, matchedUnits, options);
    if (reason === undefined) return node;
    return { label: `no match: ${reason}`, value: 0, children: [node] };
  }

  /** Changes k1 and b (fields with their own b keep it). */
  setScoring(scoring: Partial<ScoringParams>): void {
    const next = { ...this.state.config.scoring, ...scoring };
    checkScoring(next);
    this.state.config.scoring = next;
    this.state.normsCache = undefined;
    this.state.epoch.renew(currentAverages(this.state));
  }

  /** Renumbers live docs' slots and drops dead postings (runs by itself once dead slots outnumber live ones). */
  compact(): void {
    compactIndex(this.state);
    this.state.normsCache = undefined;
    this.state.epoch.renew(currentAverages(this.state));
  }

  /** Shrinks growable buffers to their contents (after a bulk build). */
  trim(): void {
    for (const list of this.state.dict.lists) list.trim();
  }

  stats(): IndexStats {
    const { docs, dict, config } = this.state;
    let terms = 0;
    for (let t = 0; t < dict.size; t++) if ((dict.df[t] as number) > 0) terms++;
    return {
      docs: docs.liveCount,
      deadSlots: docs.slotCount - docs.liveCount,
      terms,
      postingBytes: dict.lists.reduce((sum, l) => sum + l.byteSize(), 0),
      forwardBytes: docs.termsStart[docs.slotCount] as number,
      averageLengths: Object.fromEntries(config.fields.map((f, i) => [f.name, docs.averageLength(i)])),
    };
  }

  /** The index's parts, for snapshots. Not for general use: invariants are the index's to keep. */
  get internals(): IndexState {
    return this.state;
  }

  private prepare(query: string, options: IndexSearchOptions): { plan: QueryPlan; units: WeightedUnit[]; firstPass?: SearchResult } {
    const plan = this.plan(query, options);
    const units: WeightedUnit[] = plan.units.map((u) => ({ ...u, boost: 1 }));
    if (options.feedback === undefined || options.feedback === false || units.length === 0) return { plan, units };
    const feedback = { ...DEFAULT_FEEDBACK, ...(options.feedback === true ? {} : options.feedback) };
    checkFeedback(feedback);
    if (resolveMinimumShouldMatch(options, units.length) !== 1) throw new InvalidArgumentError('feedback needs minimumShouldMatch 1 (operator "or")');
    // The first pass only picks the feedback docs: k = docs (a larger k would only lower its threshold).
    const firstPass = runPlan(this.state, plan, units, { ...options, k: feedback.docs });
    const expanded = feedbackUnits(this.state, units, firstPass.hits, { ...feedback, fieldMask: this.searchMask(options.fields) });
    return { plan, units: expanded, firstPass };
  }

  private plan(query: string, options: PlanOptions): QueryPlan {
    const { config } = this.state;
    const parsed = parseQuery(query, this.queryFields.known);
    const typos = { ...config.typos, enabled: config.typos.enabled && options.typos !== false };
    const plan = planQuery(parsed.clauses, {
      groups: this.groups,
      textFieldBits: this.queryFields.textBits,
      keywordFields: this.queryFields.keywords,
      searchMask: this.searchMask(options.fields),
      typos,
      typoCandidates: (term, maxDistance) => this.typoCandidates(term, maxDistance),
      synonyms: options.synonyms === false ? undefined : this.synonyms,
      synonymFactor: config.synonymFactor,
    });
    plan.warnings.unshift(...parsed.warnings);
    return plan;
  }

  private searchMask(fields: readonly string[] | undefined): number {
    if (fields === undefined) return this.state.allFieldsMask;
    let mask = 0;
    for (const name of fields) {
      const i = this.state.config.fields.findIndex((f) => f.name === name);
      if (i < 0) throw new InvalidArgumentError(`"${name}" is not a text field of this index (fields: ${this.state.config.fields.map((f) => f.name).join(', ')})`);
      mask |= 1 << i;
    }
    return mask;
  }

  private typoCandidates(term: string, maxDistance: number): TypoMatch[] {
    const { dict } = this.state;
    const df = (t: string) => dict.df[dict.idOf(t) as number] as number;
    const cache = this.typoCache;
    if (cache.size !== dict.size || cache.entries.size >= TYPO_CACHE_SIZE) {
      cache.entries.clear();
      cache.size = dict.size;
    }
    const key = `${maxDistance}:${term}`;
    let matches = cache.entries.get(key);
    if (matches === undefined) cache.entries.set(key, (matches = findTypoTerms(dict.sortedTerms(), term, maxDistance)));
    return matches
      .filter((m) => df(m.term) > 0)
      .sort((a, b) => a.distance - b.distance || df(b.term) - df(a.term) || (a.term < b.term ? -1 : 1))
      .slice(0, this.state.config.typos.maxExpansions);
  }

  /** Why a doc does not match, or undefined if it does. */
  private mismatch(plan: QueryPlan, units: readonly WeightedUnit[], slot: number, matchedUnits: number, options: SearchOptions): string | undefined {
    if (!acceptor(this.state, plan, options)(slot)) return 'filtered out';
    const context = scoreContext(this.state);
    const exclusion = plan.exclusions.find((a) => explainAlternative(this.state, context, a, 1, slot).value > 0);
    if (exclusion !== undefined) return `excluded by -${exclusion.terms.join(' ')}`;
    if (units.length === 0) return 'the query has no searchable terms';
    const needed = resolveMinimumShouldMatch(options, units.length);
    if (matchedUnits < needed) return `${matchedUnits} of ${units.length} query units match, ${needed} needed`;
    return undefined;
  }

  private insert(docId: number, doc: IndexDoc): void {
    const { state, builder } = this;
    for (const name of state.keywords.keys()) checkKeywordValue(name, doc[name]);
    for (const name of state.numbers.keys()) checkNumericValue(name, doc[name]);
    builder.analyze(doc);
    const old = state.docs.slotOf(docId);
    if (old >= 0) this.kill(old);
    for (const [name, values] of state.keywords) values.set(docId, doc[name]);
    for (const [name, values] of state.numbers) values.set(docId, doc[name]);
    this.appendPostings(docId);
  }

  private appendPostings(docId: number): void {
    const { docs, dict, fieldShift, epoch } = this.state;
    const slot = docs.slotCount;
    const terms = this.builder.terms;
    if (this.termIds.length < terms.length) {
      this.termIds = new Int32Array(terms.length * 2);
      this.termFreqs = new Int32Array(terms.length * 2);
    }
    const norms = this.currentReferenceNorms();
    const lengths = this.builder.lengths;
    this.builder.forEachEntry((local, entry, totalFreq) => {
      const termId = dict.intern(terms[local] as string);
      (dict.lists[termId] as NonNullable<(typeof dict.lists)[number]>).append(slot, entry, fieldShift);
      dict.df[termId] = (dict.df[termId] as number) + 1;
      if (dict.maxEpoch[termId] === epoch.epoch) {
        let x = 0;
        for (let e = 0; e < entry.fieldCount; e++) x += norms.term(entry.fields[e] as number, entry.tfs[e] as number, lengths[entry.fields[e] as number] as number);
        if (x > (dict.maxTfNorm[termId] as number)) dict.maxTfNorm[termId] = x;
      }
      this.termIds[local] = termId;
      this.termFreqs[local] = totalFreq;
    });
    const order = Array.from({ length: terms.length }, (_, i) => i).sort((a, b) => (this.termIds[a] as number) - (this.termIds[b] as number));
    const ids = Int32Array.from(order, (i) => this.termIds[i] as number);
    const freqs = Int32Array.from(order, (i) => this.termFreqs[i] as number);
    docs.addSlot(docId, lengths, ids, freqs, terms.length);
  }

  private currentReferenceNorms(): FieldNorms {
    if (this.referenceNorms?.epoch !== this.state.epoch.epoch) {
      this.referenceNorms = { epoch: this.state.epoch.epoch, norms: referenceNorms(this.state) };
    }
    return this.referenceNorms.norms;
  }

  private kill(slot: number): void {
    const { docs, dict } = this.state;
    docs.forEachTerm(slot, (termId) => (dict.df[termId] = (dict.df[termId] as number) - 1));
    docs.kill(slot);
  }

  private maybeCompact(): void {
    const { docs } = this.state;
    const dead = docs.slotCount - docs.liveCount;
    if (dead >= 1024 && dead > docs.liveCount) this.compact();
  }
}

/** Query terms whose typo candidates are remembered (a dictionary walk costs about 0.1 ms a term). */
const TYPO_CACHE_SIZE = 10_000;

function analyzerGroups(config: ResolvedConfig): AnalyzerGroup[] {
  const groups: AnalyzerGroup[] = [];
  config.fields.forEach((field, i) => {
    const group = groups.find((g) => g.analyzer === field.analyzer || g.analyzer.name === field.analyzer.name);
    if (group === undefined) groups.push({ analyzer: field.analyzer, fieldMask: 1 << i });
    else group.fieldMask |= 1 << i;
  });
  return groups;
}

function checkDocId(docId: number): void {
  if (!Number.isInteger(docId) || docId < 0 || docId >= 0x7fffffff) throw new InvalidArgumentError(`doc id must be a whole number in [0, 2^31 − 1), got ${docId}`);
}
