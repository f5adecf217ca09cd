import { Catalog, CategoryIndex } from '../catalog/index.js';
import { EVENT_TYPES, type Event, type EventType, type Item } from '../core/index.js';
import { FeatureContext, ItemPopularity, UserHistory } from '../features/index.js';
import type { LexicalChannel, VectorRecallSource } from '../recall/index.js';
import type { UserContext } from '../suggest/index.js';
import type { EngineConfig } from './config.js';
import { QueryRecommendations } from './query-recommendations.js';
import { SearchRefinements } from './search-refinements.js';

/**
 * What the engine knows in memory: the catalog and everything learned from events. Writes reach it
 * after the store has accepted them. The one exception is served-list logging: those events are learned
 * when queued and written within `eventLog.flushIntervalMs` (all of them at a graceful shutdown).
 */
export class EngineState {
  readonly catalog = new Catalog();
  readonly categories = new CategoryIndex(this.catalog);
  readonly popularity: ItemPopularity;
  readonly history: UserHistory;
  /** Suggestions, hints, guesses, related and click-back queries, learned from the same events. */
  readonly queries: QueryRecommendations;
  /** Refinement chips of searches, with how often users refine each way. */
  readonly refinements: SearchRefinements;
  private readonly interactionWeights: EngineConfig['userCategory']['weights'];
  /** Events seen since start-up (replayed and live), by type. */
  readonly eventCounts: Record<EventType, number>;
  /** Item events whose item is not in the catalog (ingested before the item, or deleted). */
  unknownItemEvents = 0;
  /** The lexical channel with its index (built once the catalog is loaded). */
  lexical: LexicalChannel | undefined;
  /** Vectors of the vector channels (set after the catalog is loaded, when BPR embeddings or an imported set exist). */
  embeddings: VectorRecallSource | undefined;
  /** Ranking features as of now; kept only when a learned ranker serves (it costs memory and replay time). */
  readonly features: FeatureContext | undefined;

  constructor(config: EngineConfig, options: { features: boolean; onBackgroundError?: (error: unknown) => void }) {
    if (options.features) {
      this.features = new FeatureContext((id) => {
        const docId = this.catalog.docId(id);
        return docId === undefined ? undefined : this.catalog.item(docId);
      });
    }
    this.popularity = new ItemPopularity(config.popularity);
    this.history = new UserHistory(config.userHistory);
    this.interactionWeights = config.userCategory.weights;
    this.queries = new QueryRecommendations(config.suggest, (itemId) => this.categoryKeyOf(itemId), { onBackgroundError: options.onBackgroundError });
    this.refinements = new SearchRefinements(this.catalog, config.suggest.refinement, { maxGapMinutes: config.suggest.related.maxGapMinutes, maxLength: config.suggest.maxLength });
    this.eventCounts = Object.fromEntries(EVENT_TYPES.map((type) => [type, 0])) as Record<EventType, number>;
  }

  upsertItem(item: Item): void {
    this.catalog.upsert(item);
  }

  removeItem(id: string): boolean {
    const docId = this.catalog.docId(id);
    if (docId === undefined) return false;
    this.catalog.remove(id);
    this.popularity.clear(docId);
    return true;
  }

  /** An item's category path as one key (`数码>手机`); undefined for an unknown or uncategorised item. */
  categoryKeyOf(itemId: string): string | undefined {
    const docId = this.catalog.docId(itemId);
    const path = docId === undefined ? undefined : this.catalog.item(docId)?.categoryPath;
    return path === undefined || path.length === 0 ? undefined : path.join('>');
  }

  /**
   * What query recommendation knows of a user: latest searches (newest first) and category interest
   * from their interactions, weighted as in the user-category channel. An unknown user has neither.
   */
  userContext(userId: string): UserContext {
    const categories = new Map<string, number>();
    for (const { docId, type } of this.history.interactions(userId)) {
      const path = this.catalog.item(docId)?.categoryPath;
      if (path === undefined || path.length === 0) continue;
      const key = path.join('>');
      categories.set(key, (categories.get(key) ?? 0) + this.interactionWeights[type]);
    }
    return { userId, recentQueries: this.history.queries(userId).map((q) => q.query), categories };
  }

  /** Learns from events (in time order). */
  observe(events: readonly Event[]): void {
    for (const event of events) {
      this.eventCounts[event.type]++;
      this.features?.observe(event);
      this.queries.observe(event);
      this.refinements.observe(event);
      switch (event.type) {
        case 'query':
          this.history.observeQuery(event.userId, event.query, event.time);
          break;
        case 'impression':
          for (const shown of event.items) {
            const docId = this.catalog.docId(shown.itemId);
            if (docId !== undefined) this.popularity.observe(docId, event);
          }
          break;
        case 'click':
        case 'add_to_cart':
        case 'purchase': {
          const docId = this.catalog.docId(event.itemId);
          if (docId === undefined) {
            this.unknownItemEvents++;
            break;
          }
          this.popularity.observe(docId, event);
          this.history.observeInteraction(docId, event);
          break;
        }
        case 'suggestion_click':
          break;
      }
    }
  }
}
