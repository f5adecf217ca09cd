/**
 * The hint word ("底纹"): the query shown greyed in the empty search box, one per request. Chosen
 * from the user's intent first, then trending queries, then the most popular (cold start); never
 * one of the user's latest searches; rotating over the best `rotation` candidates from one request
 * to the next; and a hint shown `maxExposures` times to a user is retired for that user (it did not
 * interest them), as is one they clicked (they have used it).
 */

import { distinctCandidates, type QueryPool, type RecommendedQuery, type UserContext } from './query-pool.js';
import { variantKey } from './query-text.js';

export interface HintConfig {
  /** Times one hint is shown to one user before it is retired for them. */
  maxExposures: number;
  /** The hint rotates over this many best candidates. */
  rotation: number;
  /** Candidates gathered per source. */
  perSource: number;
  /** Users whose exposures are remembered (the least recently seen is forgotten first). */
  maxUsers: number;
}

export const DEFAULT_HINT: HintConfig = { maxExposures: 3, rotation: 4, perSource: 8, maxUsers: 100_000 };

interface UserState {
  requests: number;
  exposures: Map<string, number>;
}

export class HintSelector {
  readonly config: HintConfig;
  private readonly users = new Map<string, UserState>();

  constructor(
    private readonly pool: QueryPool,
    config: Partial<HintConfig> = {},
  ) {
    this.config = { ...DEFAULT_HINT, ...config };
  }

  /** The hint for this request (and counts its exposure), or undefined when every candidate is retired. */
  hint(user: UserContext, now: number): RecommendedQuery | undefined {
    const state = this.stateOf(user.userId);
    const { perSource, maxExposures, rotation } = this.config;
    const candidates = distinctCandidates(
      [
        this.pool.intent(user, perSource).map((text) => ({ text, reason: 'intent' as const })),
        this.pool.trending(now, perSource).map((text) => ({ text, reason: 'trending' as const })),
        this.pool.popular(perSource).map((text) => ({ text, reason: 'popular' as const })),
      ],
      user.recentQueries,
    ).filter((c) => (state.exposures.get(variantKey(c.text)) ?? 0) < maxExposures);
    if (candidates.length === 0) return undefined;
    const chosen = candidates[state.requests % Math.min(rotation, candidates.length)] as RecommendedQuery;
    state.requests++;
    const key = variantKey(chosen.text);
    state.exposures.set(key, (state.exposures.get(key) ?? 0) + 1);
    return chosen;
  }

  /**
   * Takes over another selector's per-user exposures and rotation (the engine rebuilds the pool as
   * queries arrive; a user's retired hints stay retired). The other selector should not be used after.
   */
  adoptExposures(previous: HintSelector): void {
    this.users.clear();
    for (const [userId, state] of previous.users) this.users.set(userId, state);
  }

  /** The user searched the hint: it is retired for them. */
  clicked(userId: string, text: string): void {
    this.stateOf(userId).exposures.set(variantKey(text), this.config.maxExposures);
  }

  private stateOf(userId: string): UserState {
    let state = this.users.get(userId);
    if (state === undefined) state = { requests: 0, exposures: new Map() };
    this.users.delete(userId);
    this.users.set(userId, state);
    if (this.users.size > this.config.maxUsers) this.users.delete(this.users.keys().next().value as string);
    return state;
  }
}
