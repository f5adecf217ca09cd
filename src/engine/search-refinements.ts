/**
 * Refinement chips ("细选") in the `/search` response: for a broad query, the brands, categories,
 * price bands and attribute values that best split its top results (`refinementChips` of
 * `suggest/`: entropy over the top results × coverage × how often users refine that way), each a
 * ready filter (brand, category, price) or query (brand, attribute). How often users refine each
 * way is learned from the log: a session's search that extends the previous one by a brand, a
 * category name, an attribute value or a price word (`RefinementUsage`).
 */

import { categoryKey, type Catalog, type CatalogListener } from '../catalog/index.js';
import type { Event, Filters, Item } from '../core/index.js';
import {
  RefinementUsage,
  refinementChips,
  variantKey,
  type FacetedResult,
  type RefinementChip,
  type RefinementKind,
} from '../suggest/index.js';
import type { EngineConfig } from './config.js';

export type SearchRefinementsConfig = EngineConfig['suggest']['refinement'];

/** One chip of a search response: applying `filter` (merged into the request's) or searching `query`. */
export interface Refinement {
  kind: RefinementKind;
  /** `brand`, `category`, `price`, or the attribute's key (`color`). */
  facet: string;
  label: string;
  /** Share of the top results the chip keeps. */
  share: number;
  /** The facet's weighted entropy (bits × coverage × usage weight): chips of one facet share it. */
  gain: number;
  filter?: Filters;
  query?: string;
}

const ATTRIBUTE_PREFIX = 'attr:';

/**
 * The facet values of the catalog by variant key (`华为`, `白色`, `手机`), each with the number of
 * live items holding it per kind: what an added query word names. Follows catalog changes.
 */
export class FacetVocabulary implements CatalogListener {
  private readonly values = new Map<string, Record<RefinementKind, number>>();
  private readonly priceWords: Set<string>;

  constructor(priceWords: readonly string[]) {
    this.priceWords = new Set(priceWords.map(variantKey));
  }

  onUpsert(_docId: number, item: Item, previous: Item | undefined): void {
    if (previous !== undefined) this.count(previous, -1);
    this.count(item, 1);
  }

  onRemove(_docId: number, item: Item): void {
    this.count(item, -1);
  }

  /** The kind of facet `added` (a variant key) names: the one most items hold it as; undefined if none. */
  classify(added: string): RefinementKind | undefined {
    if (this.priceWords.has(added)) return 'price';
    const counts = this.values.get(added);
    if (counts === undefined) return undefined;
    let best: RefinementKind | undefined;
    for (const kind of ['brand', 'category', 'attribute'] as const) if (counts[kind] > 0 && (best === undefined || counts[kind] > counts[best])) best = kind;
    return best;
  }

  private count(item: Item, delta: number): void {
    if (item.brand !== undefined) this.add(item.brand, 'brand', delta);
    for (const name of item.categoryPath) this.add(name, 'category', delta);
    for (const value of Object.values(item.attributes)) if (typeof value === 'string') this.add(value, 'attribute', delta);
  }

  private add(value: string, kind: RefinementKind, delta: number): void {
    const key = variantKey(value);
    if (key === '') return;
    let counts = this.values.get(key);
    if (counts === undefined) this.values.set(key, (counts = { brand: 0, category: 0, price: 0, attribute: 0 }));
    counts[kind] += delta;
    if (counts.brand <= 0 && counts.category <= 0 && counts.attribute <= 0) this.values.delete(key);
  }
}

export class SearchRefinements {
  readonly usage: RefinementUsage;
  private readonly vocabulary: FacetVocabulary;

  constructor(
    private readonly catalog: Catalog,
    readonly config: SearchRefinementsConfig,
    related: { maxGapMinutes: number; maxLength: number },
  ) {
    this.vocabulary = new FacetVocabulary(config.priceWords);
    catalog.subscribe(this.vocabulary);
    this.usage = new RefinementUsage((added) => this.vocabulary.classify(added), { maxGapMs: related.maxGapMinutes * 60_000, maxLength: related.maxLength, prior: config.prior });
  }

  /** Learns how users refine from the searches of the log (feed in time order). */
  observe(event: Event): void {
    if (event.type === 'query') this.usage.observe(event);
  }

  /**
   * The chips for a search: none when fewer than `minResults` items matched (not a broad query).
   * Facets the request already filters on (brand, price) and values the query already names are
   * not offered.
   * @param top the doc ids of the best results, best first (at most `depth` are read).
   */
  chips(search: { query: string; filters: Filters; total: number; top: readonly number[] }): Refinement[] {
    const c = this.config;
    if (search.total < c.minResults || c.maxFacets === 0) return [];
    const queryKey = variantKey(search.query);
    const results: FacetedResult[] = [];
    for (const docId of search.top.slice(0, c.depth)) {
      const item = this.catalog.item(docId);
      if (item !== undefined && item.kind !== 'content') results.push({ facets: facetsOf(item, search.filters) });
    }
    const weights = this.usage.weights();
    const facetWeights: Record<string, number> = { brand: weights.brand, category: weights.category, price: weights.price };
    for (const r of results) for (const facet of Object.keys(r.facets)) if (facet.startsWith(ATTRIBUTE_PREFIX)) facetWeights[facet] = weights.attribute;
    const chips = refinementChips(search.query, results, { maxFacets: c.maxFacets, valuesPerFacet: c.valuesPerFacet, minShare: c.minShare, bands: c.bands, facetWeights });
    return chips.filter((chip) => !queryKey.includes(variantKey(chip.label)) || chip.facet === 'price').map((chip) => toRefinement(chip, search.query));
  }
}

/** An item's facets for the chips; a facet the request already filters on is left out. */
function facetsOf(item: Item, filters: Filters): FacetedResult['facets'] {
  const facets: Record<string, string | number> = {};
  if (item.brand !== undefined && filters.brands === undefined) facets.brand = item.brand;
  if (item.categoryPath.length > 0) facets.category = categoryKey(item.categoryPath);
  if (item.price !== undefined && filters.priceMin === undefined && filters.priceMax === undefined) facets.price = item.price;
  for (const [key, value] of Object.entries(item.attributes)) if (typeof value === 'string') facets[`${ATTRIBUTE_PREFIX}${key}`] = value;
  return facets;
}

function toRefinement(chip: RefinementChip, query: string): Refinement {
  const base = { share: round4(chip.share), gain: round4(chip.gain), label: chip.label };
  const f = chip.filter;
  if ('min' in f) return { kind: 'price', facet: 'price', ...base, filter: { priceMin: f.min, priceMax: f.max } };
  const value = String(f.value);
  if (f.facet === 'brand') return { kind: 'brand', facet: 'brand', ...base, filter: { brands: [value] }, query: `${query} ${value}` };
  if (f.facet === 'category') {
    const path = value.split('>');
    return { kind: 'category', facet: 'category', ...base, label: path[path.length - 1] ?? value, filter: { category: path } };
  }
  return { kind: 'attribute', facet: f.facet.slice(ATTRIBUTE_PREFIX.length), ...base, query: `${query} ${value}` };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
