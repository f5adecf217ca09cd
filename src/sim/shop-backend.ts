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
 * logs beside each item (a feature logged at serving time, for learning to rank).
 */
export interface ShopBackend {
  /**
   * The result page for a query: item ids, best first; at most `limit` are shown. `total`, when the
   * backend knows it, is how many items matched in all (recorded as the query event's `resultCount`).
   */
  search(request: SearchRequest): { items: string[]; total?: number; recallScores?: number[] };
  /** The home feed (no `itemId`) or the similar items of `itemId`, best first. */
  recommend(request: RecommendRequest): { items: string[]; recallScores?: number[] };
  /** Query suggestions for a prefix, best first; without it users type every query in full. */
  suggest?(request: SuggestRequest): { suggestions: string[] };
}
