/**
 * Refinement chips ("细选"/"锦囊"): for a broad query, the facet values that best split its results,
 * each chip a ready query and a filter. A facet is worth offering when knowing its value tells the
 * most about which result the user wants: the entropy of its value distribution over the top
 * results (the information gain of splitting the list by it; Quinlan 1986, "Induction of decision
 * trees"), times the share of results that have the facet, times how often users refine that way
 * (`facetWeights`, default 1). Numeric facets (price) are cut into quantile bands first.
 */

import { InvalidArgumentError } from '../core/index.js';

export type FacetValue = string | number | boolean | undefined;

/** One result of the broad query, with its facet values (`brand`, `price`, `color`, ...). */
export interface FacetedResult {
  facets: Readonly<Record<string, FacetValue>>;
}

export interface RefinementConfig {
  /** Facets offered at most. */
  maxFacets: number;
  /** Chips per facet at most. */
  valuesPerFacet: number;
  /** A value on fewer results than this share is not a chip. */
  minShare: number;
  /** Numeric facets are cut into this many quantile bands. */
  bands: number;
  /** How often users refine by each facet (relative; missing facets weigh 1). */
  facetWeights: Readonly<Record<string, number>>;
  /** Facets never offered. */
  ignore: readonly string[];
}

export const DEFAULT_REFINEMENT: RefinementConfig = { maxFacets: 3, valuesPerFacet: 4, minShare: 0.05, bands: 4, facetWeights: {}, ignore: [] };

export type ChipFilter = { facet: string; value: string | boolean } | { facet: string; min: number; max: number };

export interface RefinementChip {
  facet: string;
  /** What the chip shows: the value, or a band `100-299`. */
  label: string;
  /** Share of the results the chip keeps. */
  share: number;
  /** The facet's score (weighted entropy in bits): chips of one facet share it. */
  gain: number;
  filter: ChipFilter;
  /** The query with the value added (string facets only): `手机 华为`. */
  query?: string;
}

/**
 * The chips for `query` over its top results, best facet first, within a facet most common value first.
 * @throws InvalidArgumentError when `bands` < 2 or `minShare` is outside [0, 1].
 */
export function refinementChips(query: string, results: readonly FacetedResult[], config: Partial<RefinementConfig> = {}): RefinementChip[] {
  const c = { ...DEFAULT_REFINEMENT, ...config };
  if (!(c.bands >= 2) || !(c.minShare >= 0 && c.minShare <= 1)) throw new InvalidArgumentError(`refinement needs bands >= 2 and minShare in [0, 1], got ${c.bands}, ${c.minShare}`);
  if (results.length === 0) return [];
  const facets = new Set(results.flatMap((r) => Object.keys(r.facets)).filter((f) => !c.ignore.includes(f)));
  const scored = [...facets].map((facet) => facetSplit(facet, results, c)).filter((s) => s.gain > 0);
  scored.sort((a, b) => b.gain - a.gain || (a.facet < b.facet ? -1 : 1));
  return scored.slice(0, c.maxFacets).flatMap((s) =>
    s.groups
      .filter((g) => g.share >= c.minShare)
      .slice(0, c.valuesPerFacet)
      .map((g) => ({ facet: s.facet, label: g.label, share: g.share, gain: s.gain, filter: g.filter, ...(typeof g.filter === 'object' && 'value' in g.filter && typeof g.filter.value === 'string' ? { query: `${query} ${g.filter.value}` } : {}) })),
  );
}

interface Group {
  label: string;
  count: number;
  share: number;
  filter: ChipFilter;
}

function facetSplit(facet: string, results: readonly FacetedResult[], c: RefinementConfig): { facet: string; gain: number; groups: Group[] } {
  const values = results.map((r) => r.facets[facet]).filter((v): v is string | number | boolean => v !== undefined && v !== '');
  const numeric = values.length > 0 && values.every((v) => typeof v === 'number');
  const groups = numeric ? bandGroups(facet, values.filter((v): v is number => typeof v === 'number'), c.bands) : valueGroups(facet, values.filter((v): v is string | boolean => typeof v !== 'number'));
  for (const g of groups) g.share = g.count / results.length;
  const coverage = values.length / results.length;
  const weight = c.facetWeights[facet] ?? 1;
  return { facet, gain: weight * coverage * entropy(groups.map((g) => g.count)), groups };
}

function valueGroups(facet: string, values: readonly (string | boolean)[]): Group[] {
  const counts = new Map<string | boolean, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (String(a[0]) < String(b[0]) ? -1 : 1))
    .map(([value, count]) => ({ label: String(value), count, share: 0, filter: { facet, value } }));
}

/** Quantile bands (bounds are observed values, so each band is non-empty), in ascending order. */
function bandGroups(facet: string, values: readonly number[], bands: number): Group[] {
  const sorted = [...values].sort((a, b) => a - b);
  const groups: Group[] = [];
  let start = 0;
  for (let b = 1; b <= bands && start < sorted.length; b++) {
    let end = b === bands ? sorted.length : Math.ceil((b * sorted.length) / bands);
    // Equal values stay in one band.
    while (end < sorted.length && sorted[end] === sorted[end - 1]) end++;
    if (end <= start) continue;
    const min = sorted[start] as number;
    const max = sorted[end - 1] as number;
    groups.push({ label: min === max ? String(min) : `${min}-${max}`, count: end - start, share: 0, filter: { facet, min, max } });
    start = end;
  }
  return groups;
}

/** Shannon entropy in bits of a distribution given by counts. */
function entropy(counts: readonly number[]): number {
  const total = counts.reduce((s, n) => s + n, 0);
  let h = 0;
  for (const n of counts) if (n > 0) h -= (n / total) * Math.log2(n / total);
  return h;
}
