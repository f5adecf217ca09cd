import { InvalidArgumentError } from '../core/index.js';
import type { Analyzer } from '../text/analyzer.js';

/** A searchable text field: analysed into terms, scored by BM25F. */
export interface TextFieldConfig {
  name: string;
  analyzer: Analyzer;
  /** BM25F field weight w_f: a term occurrence here counts w_f times. Default 1. */
  weight?: number;
  /** BM25F length normalisation b_f in [0, 1] (0 = none). Default {@link DEFAULT_SCORING}.b. */
  b?: number;
}

/**
 * A keyword field held by the index for filters and facets (brand, shop, region, attributes): exact
 * string values, one or many per doc, never analysed or scored. With `hierarchical`, a value is a path
 * (`['数码', '手机']` or `'数码>手机'`) and every prefix is indexed, so a filter on `数码` matches
 * `数码>手机`.
 */
export interface KeywordFieldConfig {
  name: string;
  /** The separator of path segments; set it to make the field hierarchical. */
  hierarchical?: string;
}

/** A numeric field held by the index (price): one finite number per doc, for range filters and range facets. */
export interface NumericFieldConfig {
  name: string;
}

/** BM25F's global parameters (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework", §3.4). */
export interface ScoringParams {
  /** Term-frequency saturation, shared by all fields. */
  k1: number;
  /** Length normalisation for fields that do not set their own. */
  b: number;
}

/**
 * Tuned on Vaswani with the English analyzer (docs/lexical.md has the grid): b = 0.6 and k1 = 1.0 beat
 * the textbook 1.2 / 0.75 there, as short abstracts need less length normalisation.
 */
export const DEFAULT_SCORING: ScoringParams = { k1: 1.0, b: 0.6 };

/** Typo tolerance (edit distance with adjacent transpositions, counted in UTF-16 code units). */
export interface TypoConfig {
  enabled: boolean;
  /** Terms at least this long may have 1 typo. */
  oneTypoMinLength: number;
  /** Terms at least this long may have 2 typos. */
  twoTyposMinLength: number;
  /** A typo match scores `factor^distance` times its exact score. */
  factor: number;
  /** At most this many dictionary terms per query term (closest first, then most frequent). */
  maxExpansions: number;
}

export const DEFAULT_TYPOS: TypoConfig = {
  enabled: true,
  oneTypoMinLength: 5,
  twoTyposMinLength: 9,
  factor: 0.5,
  maxExpansions: 10,
};

/** A synonym rule: `equivalents` all mean each other (two-way); `from` → `to` is one-way. */
export type SynonymRule = { equivalents: string[] } | { from: string; to: string[] };

export interface IndexConfig {
  fields: TextFieldConfig[];
  keywords?: KeywordFieldConfig[];
  numbers?: NumericFieldConfig[];
  scoring?: Partial<ScoringParams>;
  typos?: Partial<TypoConfig>;
  synonyms?: SynonymRule[];
  /** A synonym match scores this times its exact score. Default 0.9. */
  synonymFactor?: number;
}

/** The limits of a query (beyond them: a clear error or a warning, never a crash). */
export const QUERY_LIMITS = {
  /** Longer input is refused with an InvalidArgumentError. */
  maxLength: 10_000,
  /** Positive query units beyond this are dropped, with a warning. */
  maxUnits: 64,
};

/** The most fields a text index may have (field ids are packed into posting codes). */
export const MAX_TEXT_FIELDS = 16;

/** Resolved field settings. */
export interface ResolvedField {
  name: string;
  analyzer: Analyzer;
  weight: number;
  /** The field's own b; undefined follows the global `scoring.b`. */
  b: number | undefined;
}

export interface ResolvedConfig {
  fields: ResolvedField[];
  keywords: KeywordFieldConfig[];
  numbers: NumericFieldConfig[];
  scoring: ScoringParams;
  typos: TypoConfig;
  synonyms: SynonymRule[];
  synonymFactor: number;
}

/**
 * Checks a configuration and fills in the defaults.
 * @throws InvalidArgumentError naming the bad field or value.
 */
export function resolveConfig(config: IndexConfig): ResolvedConfig {
  const scoring = { ...DEFAULT_SCORING, ...config.scoring };
  checkScoring(scoring);
  if (config.fields.length === 0 || config.fields.length > MAX_TEXT_FIELDS) {
    throw new InvalidArgumentError(`an index needs 1 to ${MAX_TEXT_FIELDS} text fields, got ${config.fields.length}`);
  }
  const fields = config.fields.map((f) => ({ name: f.name, analyzer: f.analyzer, weight: f.weight ?? 1, b: f.b }));
  for (const f of fields) {
    if (!(f.weight > 0) || !Number.isFinite(f.weight)) throw new InvalidArgumentError(`field "${f.name}" weight must be > 0, got ${f.weight}`);
    if (f.b !== undefined && !(f.b >= 0 && f.b <= 1)) throw new InvalidArgumentError(`field "${f.name}" b must be in [0, 1], got ${f.b}`);
  }
  const keywords = config.keywords ?? [];
  const numbers = config.numbers ?? [];
  const names = [...fields.map((f) => f.name), ...keywords.map((f) => f.name), ...numbers.map((f) => f.name)];
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new InvalidArgumentError(`field "${duplicate}" is declared twice`);
  const typos = { ...DEFAULT_TYPOS, ...config.typos };
  if (!(typos.factor > 0 && typos.factor <= 1)) throw new InvalidArgumentError(`typos.factor must be in (0, 1], got ${typos.factor}`);
  const synonymFactor = config.synonymFactor ?? 0.9;
  if (!(synonymFactor > 0 && synonymFactor <= 1)) throw new InvalidArgumentError(`synonymFactor must be in (0, 1], got ${synonymFactor}`);
  return { fields, keywords, numbers, scoring, typos, synonyms: config.synonyms ?? [], synonymFactor };
}

/** @throws InvalidArgumentError when k1 is not positive or b is outside [0, 1]. */
export function checkScoring(scoring: ScoringParams): void {
  if (!(scoring.k1 > 0) || !Number.isFinite(scoring.k1)) throw new InvalidArgumentError(`k1 must be > 0, got ${scoring.k1}`);
  if (!(scoring.b >= 0 && scoring.b <= 1)) throw new InvalidArgumentError(`b must be in [0, 1], got ${scoring.b}`);
}
