/**
 * What simulated users talk to. The caller adapts its engine to this interface; the calls are
 * synchronous so the caller can update the engine between sessions and see the traffic react.
 */

export interface SearchRequest {
  query: string;
  userId: string;
  sessionId: string;
  requestId: string;
  /** Epoch ms of the request (simulated time). */
  time: number;
  limit: number;
  /** Set when the user applied a refinement chip that is a filter; absent otherwise. */
  filters?: SearchFilters;
}

/** The filters a refinement chip may apply (the engine's request filters, in part). */
export interface SearchFilters {
  brands?: string[];
  category?: string[];
  priceMin?: number;
  priceMax?: number;
}

/** A refinement chip offered with a result page: a filter on the same query, or a query to search. */
export interface RefinementOffer {
  kind: 'brand' | 'category' | 'price' | 'attribute';
  label: string;
  filter?: SearchFilters;
  query?: string;
}

/** Hint, guess and related requests: who asks, when, and (related) after which query. */
export interface QueryChipRequest {
  userId: string;
  requestId: string;
  time: number;
  limit: number;
}

export interface RecommendRequest {
  userId: string;
  sessionId: string;
  requestId: string;
  time: number;
  limit: number;
  /** Present for the similar-items list on an item's page; absent for the home feed. */
  itemId?: string;
}

export interface SuggestRequest {
  /** What the user has typed so far: 1-3 Chinese characters, or a few pinyin or English letters. */
  prefix: string;
  userId: string;
  requestId: string;
  time: number;
  limit: number;
}

/**
 * A backend may return `recallScores`, one per item: its recall stage's score, which the impression
 * logs beside each item (a feature logged at serving time, for learning to rank); and `cpcs`, one per
 * item: the price per click its ads auction set (undefined for organic items), which the impression
 * logs so ad revenue is the sum over ad clicks of the logged price.
 */
export interface ShopBackend {
  /**
   * The result page for a query: item ids, best first; at most `limit` are shown. `total`, when the
   * backend knows it, is how many items matched in all (recorded as the query event's `resultCount`).
   */
  search(request: SearchRequest): { items: string[]; total?: number; recallScores?: number[]; cpcs?: (number | undefined)[]; refinements?: RefinementOffer[] };
  /** The home feed (no `itemId`) or the similar items of `itemId`, best first. */
  recommend(request: RecommendRequest): { items: string[]; recallScores?: number[]; cpcs?: (number | undefined)[] };
  /** Query suggestions for a prefix, best first; without it users type every query in full. */
  suggest?(request: SuggestRequest): { suggestions: string[] };
  /** The hint word shown in the empty search box, if any. */
  hint?(request: QueryChipRequest): { hint: string | undefined };
  /** "Guess what you want to search" chips shown before typing, best first. */
  guess?(request: QueryChipRequest): { queries: string[] };
  /** Related searches shown under the results of `query`, best first. */
  related?(request: QueryChipRequest & { query: string }): { queries: string[] };
}
