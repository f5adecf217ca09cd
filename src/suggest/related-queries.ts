/**
 * Related searches ("风向标"): query-to-query transitions within sessions. When a user searches `a`
 * and then `b` in the same session (or, without a session id, by the same user within `maxGapMs`),
 * `b` is a reformulation or a next step of `a`. `related(a)` ranks the next queries by how often
 * they followed `a` (Jones et al. 2006, "Generating query substitutions", use the same session pairs).
 * Repeats of the same query (in any spelling) are not transitions.
 */

import { queryForm, variantKey } from './query-text.js';
import { SessionSteps } from './session-steps.js';

export interface RelatedConfig {
  /** Two searches further apart are not one session's steps. */
  maxGapMs: number;
  /** Longer queries are ignored. */
  maxLength: number;
  /** Next queries kept per query (the most frequent; memory bound). */
  maxNext: number;
  /** A pair seen fewer times is never returned (privacy, as for suggestions). */
  minCount: number;
  /** Open sessions remembered (the oldest is forgotten first). */
  maxSessions: number;
}

export const DEFAULT_RELATED: RelatedConfig = { maxGapMs: 30 * 60_000, maxLength: 100, maxNext: 50, minCount: 2, maxSessions: 100_000 };

export interface RelatedQuery {
  text: string;
  /** Times it followed the query. */
  count: number;
  /** Its share of everything that followed the query. */
  share: number;
}

export interface SearchStep {
  userId: string;
  sessionId?: string | undefined;
  query: string;
  time: number;
}

export class RelatedQueries {
  readonly config: RelatedConfig;
  private readonly steps: SessionSteps;
  private readonly next = new Map<string, Map<string, number>>();

  constructor(config: Partial<RelatedConfig> = {}) {
    this.config = { ...DEFAULT_RELATED, ...config };
    this.steps = new SessionSteps(this.config);
  }

  /** Learns from one search; feed a session's searches in time order. */
  observe(step: SearchStep): void {
    const found = this.steps.next(step);
    if (found?.from === undefined || found.from === found.to) return;
    const { from, text } = found;
    let followers = this.next.get(from);
    if (followers === undefined) this.next.set(from, (followers = new Map<string, number>()));
    followers.set(text, (followers.get(text) ?? 0) + 1);
    if (followers.size > 2 * this.config.maxNext) prune(followers, this.config.maxNext);
  }

  /** The queries that most often followed `query` (any spelling), at most `k`. */
  related(query: string, k: number): RelatedQuery[] {
    const text = queryForm(query, this.config.maxLength);
    const followers = text === '' ? undefined : this.next.get(variantKey(text));
    if (followers === undefined) return [];
    let total = 0;
    for (const count of followers.values()) total += count;
    return [...followers]
      .filter(([, count]) => count >= this.config.minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, k)
      .map(([next, count]) => ({ text: next, count, share: count / total }));
  }
}

/** Keeps the `keep` most frequent entries (ties by text). */
function prune(counts: Map<string, number>, keep: number): void {
  const kept = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, keep);
  counts.clear();
  for (const [text, count] of kept) counts.set(text, count);
}
