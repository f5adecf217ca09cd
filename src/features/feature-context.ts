import type { Event, Item, Surface } from '../core/index.js';
import { analyze, normalizeText } from '../text/index.js';
import { CtrStatistics, DEFAULT_CTR_STATISTICS_CONFIG, type CtrStatisticsConfig, type Outcome } from './ctr-statistics.js';

/** A raw feature value: a number, a category, a list of categories (pooled), or missing. */
export type RawValue = number | string | readonly string[] | undefined;
export type RawFeatures = Record<string, RawValue>;

/** What is known about the request an item is scored for. */
export interface ImpressionContext {
  userId: string;
  /** The query text ('' or undefined when not a search). */
  query?: string | undefined;
  surface: Surface;
  time: number;
  /** 1-based position on the page; serving fixes it (the ranker's `servingPosition`). */
  position: number;
  /** The item a similar-items list is for. */
  seedItemId?: string | undefined;
}

/** What is known about one shown (or candidate) item beyond the catalog. */
export interface CandidateContext {
  /** The recall stage's score of the item for this request, logged with the impression. */
  recallScore?: number | undefined;
}

export interface FeatureContextConfig {
  ctr: CtrStatisticsConfig;
  /** Recent interactions kept per user for the pooled and affinity features. Default 30. */
  userInteractions: number;
  /** Requests remembered to attribute clicks to their query. Default 200,000. */
  requestMemory: number;
}

export const DEFAULT_FEATURE_CONTEXT_CONFIG: FeatureContextConfig = {
  ctr: DEFAULT_CTR_STATISTICS_CONFIG,
  userInteractions: 30,
  requestMemory: 200_000,
};

interface UserInteraction {
  brand: string | undefined;
  category: string;
  price: number | undefined;
}

/** A user's recent interactions, newest first, with the lists derived from them (kept current on update). */
interface UserProfile {
  interactions: UserInteraction[];
  brands: string[];
  categories: string[];
  /** Median price of the interactions that have one; undefined when none has. */
  medianPrice: number | undefined;
}

const NO_PROFILE: UserProfile = { interactions: [], brands: [], categories: [], medianPrice: undefined };

/**
 * The features of (request, item) pairs, computed from what has been observed so far. Training feeds
 * it the event log in time order and extracts each impression's features before observing it; serving
 * feeds it live events and extracts for candidates. Both run this same code: there is no second
 * implementation to drift (no train/serve skew), and no feature can see an event later than the
 * impression it describes (point-in-time correctness).
 */
export class FeatureContext {
  readonly stats: CtrStatistics;
  private readonly users = new Map<string, UserProfile>();
  private readonly requestQueries = new Map<string, string>();
  private readonly titleTerms = new Map<string, ReadonlySet<string>>();
  private readonly positions = new Map<string, number>();
  private lastQuery = '';
  private lastQueryTerms: string[] = [];
  private readonly config: FeatureContextConfig;

  constructor(
    private readonly itemById: (itemId: string) => Item | undefined,
    config: FeatureContextConfig = DEFAULT_FEATURE_CONTEXT_CONFIG,
  ) {
    this.config = config;
    this.stats = new CtrStatistics(config.ctr);
  }

  /** Learns from one event; events must come in time order. */
  observe(event: Event): void {
    switch (event.type) {
      case 'query':
        this.rememberRequest(event.requestId, event.query);
        return;
      case 'impression': {
        const query = normalizeText(event.query ?? '');
        this.rememberRequest(event.requestId, query);
        for (const shown of event.items) {
          // COEC's denominator: the clicks an average item gets at this position, as of now.
          const expected = this.stats.ctr(`p:${shown.position}`, event.time);
          this.count(shown.itemId, query, 'impression', event.time);
          this.count(shown.itemId, query, 'expected', event.time, expected);
          this.stats.add(`p:${shown.position}`, 'impression', event.time);
          this.rememberPosition(event.requestId, shown.itemId, shown.position);
        }
        return;
      }
      case 'click':
      case 'purchase': {
        const query = event.requestId === undefined ? '' : (this.requestQueries.get(event.requestId) ?? '');
        this.count(event.itemId, query, event.type, event.time);
        const position = event.type === 'click' ? (event.position ?? this.positions.get(`${event.requestId ?? ''}\u0000${event.itemId}`)) : undefined;
        if (position !== undefined) this.stats.add(`p:${position}`, 'click', event.time);
        this.rememberInteraction(event.userId, event.itemId);
        return;
      }
      case 'add_to_cart':
        this.rememberInteraction(event.userId, event.itemId);
        return;
      case 'suggestion_click':
        return;
    }
  }

  /** The raw features of showing `item` in the context, as of `context.time`. */
  extract(context: ImpressionContext, item: Item, candidate: CandidateContext = {}): RawFeatures {
    const { time } = context;
    const query = normalizeText(context.query ?? '');
    const category = item.categoryPath.join('/');
    const profile = this.users.get(context.userId) ?? NO_PROFILE;
    const stats = this.stats;
    let sameBrand = 0;
    let sameCategory = 0;
    for (const h of profile.interactions) {
      if (h.brand !== undefined && h.brand === item.brand) sameBrand++;
      if (h.category === category) sameCategory++;
    }
    const interactions = profile.interactions.length;
    return {
      position: context.position,
      surface: context.surface,
      recall_score: candidate.recallScore,
      item_id: item.id,
      brand: item.brand,
      shop: item.shop,
      category: category === '' ? undefined : category,
      top_category: item.categoryPath[0],
      kind: item.kind,
      price: item.price,
      item_age_days: item.createdAt === undefined ? undefined : Math.max(0, (time - item.createdAt) / 86_400_000),
      user_id: context.userId,
      user_brands: profile.brands,
      user_categories: profile.categories,
      user_interactions: interactions,
      query: query === '' ? undefined : query,
      query_match: query === '' ? undefined : this.queryMatch(query, item),
      item_impressions: stats.count(`i:${item.id}`, 'impression', time),
      item_coec: stats.coec(`i:${item.id}`, time),
      item_cvr: stats.cvr(`i:${item.id}`, time),
      brand_coec: item.brand === undefined ? undefined : stats.coec(`b:${item.brand}`, time),
      category_coec: stats.coec(`c:${category}`, time),
      query_item_coec: query === '' ? undefined : stats.coec(`qi:${query}\u0000${item.id}`, time),
      user_brand_affinity: interactions === 0 ? undefined : sameBrand / interactions,
      user_category_affinity: interactions === 0 ? undefined : sameCategory / interactions,
      ...this.seedFeatures(context.seedItemId, item),
      price_vs_user: item.price === undefined || item.price <= 0 || profile.medianPrice === undefined ? undefined : Math.log(item.price / profile.medianPrice),
    };
  }

  /** How the candidate relates to the item a similar-items list is for. */
  private seedFeatures(seedItemId: string | undefined, item: Item): RawFeatures {
    const seed = seedItemId === undefined ? undefined : this.itemById(seedItemId);
    if (seed === undefined) return { seed_category: undefined, seed_brand: undefined, seed_price_ratio: undefined };
    const sameLeaf = seed.categoryPath.length > 0 && seed.categoryPath.join('/') === item.categoryPath.join('/');
    const sameTop = seed.categoryPath[0] !== undefined && seed.categoryPath[0] === item.categoryPath[0];
    return {
      seed_category: sameLeaf ? 'leaf' : sameTop ? 'top' : 'other',
      seed_brand: seed.brand !== undefined && seed.brand === item.brand ? 'same' : 'other',
      seed_price_ratio: seed.price !== undefined && seed.price > 0 && item.price !== undefined && item.price > 0 ? Math.log(item.price / seed.price) : undefined,
    };
  }

  private count(itemId: string, query: string, outcome: Outcome, time: number, weight = 1): void {
    const item = this.itemById(itemId);
    this.stats.add(`i:${itemId}`, outcome, time, weight);
    if (query !== '') this.stats.add(`qi:${query}\u0000${itemId}`, outcome, time, weight);
    if (item === undefined) return;
    if (item.brand !== undefined) this.stats.add(`b:${item.brand}`, outcome, time, weight);
    this.stats.add(`c:${item.categoryPath.join('/')}`, outcome, time, weight);
  }

  private rememberPosition(requestId: string, itemId: string, position: number): void {
    if (this.positions.size >= this.config.requestMemory) this.positions.delete(this.positions.keys().next().value as string);
    this.positions.set(`${requestId}\u0000${itemId}`, position);
  }

  private rememberInteraction(userId: string, itemId: string): void {
    const item = this.itemById(itemId);
    if (item === undefined) return;
    const interactions = [{ brand: item.brand, category: item.categoryPath.join('/'), price: item.price }, ...(this.users.get(userId)?.interactions ?? [])];
    if (interactions.length > this.config.userInteractions) interactions.pop();
    const prices = interactions.flatMap((h) => (h.price !== undefined && h.price > 0 ? [h.price] : [])).sort((a, b) => a - b);
    this.users.set(userId, {
      interactions,
      brands: interactions.flatMap((h) => (h.brand === undefined ? [] : [h.brand])),
      categories: interactions.map((h) => h.category),
      medianPrice: prices[Math.floor(prices.length / 2)],
    });
  }

  private rememberRequest(requestId: string, query: string): void {
    if (this.requestQueries.size >= this.config.requestMemory) {
      this.requestQueries.delete(this.requestQueries.keys().next().value as string);
    }
    if (query !== '' || !this.requestQueries.has(requestId)) this.requestQueries.set(requestId, query);
  }

  /** The share of the query's terms found in the item's title, brand and category names. */
  private queryMatch(query: string, item: Item): number {
    // One request scores many items for the same query: analyse it once.
    if (query !== this.lastQuery) {
      this.lastQuery = query;
      this.lastQueryTerms = analyze(query, { mode: 'query' });
    }
    const terms = this.lastQueryTerms;
    if (terms.length === 0) return 0;
    let itemTerms = this.titleTerms.get(item.id);
    if (itemTerms === undefined) {
      const text = [item.title, item.brand ?? '', ...item.categoryPath].join(' ');
      itemTerms = new Set(analyze(text, { mode: 'index' }));
      if (this.titleTerms.size >= 100_000) this.titleTerms.clear();
      this.titleTerms.set(item.id, itemTerms);
    }
    let found = 0;
    for (const term of terms) if (itemTerms.has(term)) found++;
    return found / terms.length;
  }
}
