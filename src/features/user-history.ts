import type { Event } from '../core/index.js';

export interface Interaction {
  docId: number;
  type: 'click' | 'add_to_cart' | 'purchase';
  time: number;
}

export interface UserHistoryConfig {
  /** Interactions kept per user, newest first. */
  maxInteractions: number;
  /** Queries kept per user, newest first. */
  maxQueries: number;
}

export const DEFAULT_USER_HISTORY_CONFIG: UserHistoryConfig = { maxInteractions: 50, maxQueries: 20 };

interface UserState {
  interactions: Interaction[];
  queries: { query: string; time: number }[];
}

/**
 * Each user's recent interactions and queries, newest first, bounded per user. Events must arrive
 * roughly in time order (they do: the store reads them so, and live traffic is live).
 */
export class UserHistory {
  private readonly users = new Map<string, UserState>();
  private readonly config: UserHistoryConfig;

  constructor(config: UserHistoryConfig = DEFAULT_USER_HISTORY_CONFIG) {
    this.config = config;
  }

  get userCount(): number {
    return this.users.size;
  }

  /** Records an item interaction of `event.userId` with `docId`. */
  observeInteraction(docId: number, event: Event & { type: Interaction['type'] }): void {
    const state = this.stateOf(event.userId);
    state.interactions.unshift({ docId, type: event.type, time: event.time });
    if (state.interactions.length > this.config.maxInteractions) state.interactions.pop();
  }

  observeQuery(userId: string, query: string, time: number): void {
    const state = this.stateOf(userId);
    state.queries.unshift({ query, time });
    if (state.queries.length > this.config.maxQueries) state.queries.pop();
  }

  /** Newest first; empty for an unknown user. */
  interactions(userId: string): readonly Interaction[] {
    return this.users.get(userId)?.interactions ?? [];
  }

  /** Newest first; empty for an unknown user. */
  queries(userId: string): readonly { query: string; time: number }[] {
    return this.users.get(userId)?.queries ?? [];
  }

  private stateOf(userId: string): UserState {
    let state = this.users.get(userId);
    if (state === undefined) {
      state = { interactions: [], queries: [] };
      this.users.set(userId, state);
    }
    return state;
  }
}
