/**
 * Reference backends: the floor (random items) and a popularity engine (shop-vocabulary match,
 * ranked by the clicks and purchases it has observed, with prefix suggestions from popular queries).
 * Neither learns anything else, so a real engine should beat them; tests use them to check that the
 * click model rewards relevance and shows position bias.
 */

import { Rng, type Item, type Seed } from '../core/index.js';
import { gradeRelevance } from './intent.js';
import type { ItemTruth } from './item-truth.js';
import type { SessionLog } from './session.js';
import type { ShopBackend, SuggestRequest } from './shop-backend.js';
import { fullPinyin, matchKey, pinyinInitials } from './text.js';
import { asShopWorld, type ShopWorld, type World } from './world.js';

/** A backend that learns from the sessions it is shown. */
export interface ObservingBackend extends ShopBackend {
  /** Counts a finished session's clicks, purchases and successful queries. */
  observe(session: SessionLog): void;
}

/**
 * Serves `limit` distinct random items from the whole catalog for every request.
 * @param options.seed default: the world's seed.
 */
export function randomBackend(world: World, options: { seed?: Seed } = {}): ShopBackend {
  const rng = new Rng(options.seed ?? world.config.seed).fork('random-backend');
  const ids = world.items.map((item) => item.id);
  return {
    search: ({ limit }) => ({ items: rng.sample(ids, limit) }),
    recommend: ({ limit }) => ({ items: rng.sample(ids, limit) }),
  };
}

export interface PopularityBackendOptions {
  /** Order of the matching items: by observed popularity (default), or shuffled (no ranking at all). */
  order?: 'popularity' | 'shuffled';
  /** Whether to offer query suggestions. Default true. */
  suggest?: boolean;
  /** Seed of the shuffles; default: the world's seed. */
  seed?: Seed;
}

/** Weight of a purchase against a click in the popularity score. */
const PURCHASE_WEIGHT = 3;

/**
 * Search: the items that match what the shop's vocabulary reads in the query (category, brand,
 * series, attribute; no typo tolerance), most popular first. Feed: the most popular items. Similar:
 * the most popular items of the same category. Suggestions: shop vocabulary and queries that got
 * clicks, matched on their text, full pinyin or pinyin initials, most used first.
 */
export function popularityBackend(world: World, options: PopularityBackendOptions = {}): ObservingBackend {
  return new PopularityBackend(asShopWorld(world), options);
}

class PopularityBackend implements ObservingBackend {
  private readonly score: Float64Array;
  private readonly rng: Rng;
  private readonly order: 'popularity' | 'shuffled';
  private readonly queries = new Map<string, { uses: number; keys: string[] }>();
  readonly suggest: ((request: SuggestRequest) => { suggestions: string[] }) | undefined;

  constructor(
    private readonly world: ShopWorld,
    options: PopularityBackendOptions,
  ) {
    this.score = new Float64Array(world.items.length);
    this.rng = new Rng(options.seed ?? world.config.seed).fork('popularity-backend');
    this.order = options.order ?? 'popularity';
    this.suggest = options.suggest === false ? undefined : (request) => this.suggestions(request);
    this.seedVocabulary();
  }

  search({ query, limit }: { query: string; limit: number }): { items: string[] } {
    const matches = new Set<number>();
    for (const intent of this.world.interpreter.read(query)) {
      const leafItems = this.world.itemsByLeaf[this.world.leaf(intent.leafId).index] ?? [];
      for (const i of leafItems) {
        if (gradeRelevance(intent, this.world.itemTruths[i] as ItemTruth, (this.world.items[i] as Item).attributes) >= 2) matches.add(i);
      }
    }
    return { items: this.rank([...matches], limit) };
  }

  recommend({ limit, itemId }: { limit: number; itemId?: string }): { items: string[] } {
    const seed = itemId === undefined ? undefined : this.world.indexOfItem(itemId);
    if (seed === undefined) return { items: this.rank(this.world.items.map((_, i) => i), limit) };
    const leafItems = this.world.itemsByLeaf[(this.world.itemTruths[seed] as ItemTruth).leafIndex] ?? [];
    return { items: this.rank(leafItems.filter((i) => i !== seed), limit) };
  }

  observe(session: SessionLog): void {
    const clickedRequests = new Set<string>();
    for (const event of session.events) {
      if (event.type !== 'click' && event.type !== 'purchase') continue;
      const index = this.world.indexOfItem(event.itemId);
      if (index !== undefined) this.score[index] = (this.score[index] as number) + (event.type === 'click' ? 1 : PURCHASE_WEIGHT);
      if (event.requestId !== undefined) clickedRequests.add(event.requestId);
    }
    for (const search of session.searches) if (clickedRequests.has(search.requestId)) this.countQuery(search.query, 1);
  }

  private rank(candidates: number[], limit: number): string[] {
    const chosen = this.order === 'shuffled' ? this.rng.shuffle(candidates).slice(0, limit) : topK(candidates, this.score, limit);
    return chosen.map((i) => (this.world.items[i] as Item).id);
  }

  private suggestions({ prefix, limit }: SuggestRequest): { suggestions: string[] } {
    const key = matchKey(prefix);
    if (key.length === 0) return { suggestions: [] };
    const found: { text: string; uses: number }[] = [];
    for (const [text, entry] of this.queries) if (entry.keys.some((k) => k.startsWith(key))) found.push({ text, uses: entry.uses });
    found.sort((a, b) => b.uses - a.uses || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    return { suggestions: found.slice(0, limit).map((f) => f.text) };
  }

  /** Category names, brand + category and series names, as a new shop's suggestion list would hold. */
  private seedVocabulary(): void {
    for (const leaf of this.world.catalog.leaves) {
      this.countQuery(leaf.spec.zh, 3);
      for (const brand of leaf.spec.brands) {
        this.countQuery(`${brand.zh}${leaf.spec.zh}`, 1);
        for (const series of brand.series) this.countQuery(`${brand.zh} ${series.zh}`, 1);
      }
    }
  }

  private countQuery(text: string, uses: number): void {
    const entry = this.queries.get(text);
    if (entry !== undefined) entry.uses += uses;
    else this.queries.set(text, { uses, keys: [matchKey(text), fullPinyin(text), pinyinInitials(text)] });
  }
}

/** The k candidates with the highest score, ties broken by lower index: one pass with a sorted buffer. */
export function topK(candidates: readonly number[], score: Float64Array, k: number): number[] {
  const best: number[] = [];
  const better = (a: number, b: number): boolean => (score[a] as number) > (score[b] as number) || ((score[a] as number) === (score[b] as number) && a < b);
  for (const c of candidates) {
    if (best.length === k && !better(c, best[k - 1] as number)) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && better(c, best[at - 1] as number)) at--;
    if (best.length === k) best.pop();
    best.splice(at, 0, c);
  }
  return best;
}
