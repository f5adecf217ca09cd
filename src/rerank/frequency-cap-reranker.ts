/**
 * Per-user frequency caps: an item is not shown more than `maxPerDay` times to one user in one
 * (local) day. Counts are learned from served lists (`observeServed`) and kept in memory, bounded: at
 * most `maxUsers` users (the least recently seen is forgotten first) and `maxItemsPerUser` items each
 * (the first seen is forgotten first). A forgotten count only makes the cap more lenient, never wrong
 * the other way. Anonymous requests are not capped.
 */

import { z } from 'zod';
import type { Reranker, ScoredCandidate, StageContext } from '../core/index.js';
import { recordMoves } from './reorder.js';
import { dayOf, type ServedList, type ServedListObserver } from './served-list.js';

export interface FrequencyCapConfig {
  /** Shows per user per item per day before the cap applies. */
  maxPerDay: number;
  /** `bury` moves capped items to the end of the list; `filter` removes them. */
  action: 'bury' | 'filter';
  maxUsers: number;
  maxItemsPerUser: number;
  timezoneOffsetMinutes: number;
}

export const DEFAULT_FREQUENCY_CAP_CONFIG: FrequencyCapConfig = {
  maxPerDay: 3,
  action: 'bury',
  maxUsers: 100_000,
  maxItemsPerUser: 500,
  timezoneOffsetMinutes: 0,
};

export const frequencyCapShape = {
  maxPerDay: z.int().min(1, 'maxPerDay must be at least 1').default(DEFAULT_FREQUENCY_CAP_CONFIG.maxPerDay),
  action: z.enum(['bury', 'filter']).default(DEFAULT_FREQUENCY_CAP_CONFIG.action),
  maxUsers: z.int().min(1, 'maxUsers must be at least 1').max(10_000_000).default(DEFAULT_FREQUENCY_CAP_CONFIG.maxUsers),
  maxItemsPerUser: z.int().min(1, 'maxItemsPerUser must be at least 1').max(100_000).default(DEFAULT_FREQUENCY_CAP_CONFIG.maxItemsPerUser),
  timezoneOffsetMinutes: z.int().min(-14 * 60).max(14 * 60).default(DEFAULT_FREQUENCY_CAP_CONFIG.timezoneOffsetMinutes),
};
export const FrequencyCapConfigSchema = z.strictObject(frequencyCapShape);

interface UserCounts {
  day: number;
  shows: Map<number, number>;
}

export class FrequencyCapReranker implements Reranker, ServedListObserver {
  readonly name = 'frequency-cap';
  /** Users in least-recently-seen order (a Map keeps insertion order; a touch re-inserts). */
  private readonly users = new Map<string, UserCounts>();

  constructor(private readonly config: FrequencyCapConfig = DEFAULT_FREQUENCY_CAP_CONFIG) {}

  /** Users whose counts are held (at most `maxUsers`). */
  get trackedUsers(): number {
    return this.users.size;
  }

  /** How often `docId` was shown to `userId` on the day of `time`. */
  shows(userId: string, docId: number, time: number): number {
    const counts = this.users.get(userId);
    return counts === undefined || counts.day !== dayOf(time, this.config.timezoneOffsetMinutes) ? 0 : (counts.shows.get(docId) ?? 0);
  }

  rerank(context: StageContext, list: readonly ScoredCandidate[]): ScoredCandidate[] {
    const userId = context.userId;
    if (userId === undefined) return list.slice();
    const kept: ScoredCandidate[] = [];
    const capped: ScoredCandidate[] = [];
    for (const c of list) (this.shows(userId, c.docId, context.time) >= this.config.maxPerDay ? capped : kept).push(c);
    if (capped.length === 0) return list.slice();
    const out = this.config.action === 'bury' ? kept.concat(capped) : kept;
    context.trace.annotate(this.name, { capped: capped.length, action: this.config.action, ...(this.config.action === 'filter' ? { filtered: capped.map((c) => c.docId) } : {}) });
    recordMoves(context, this.name, { before: list, after: out }, (docId) =>
      this.shows(userId, docId, context.time) >= this.config.maxPerDay
        ? `frequency-cap: shown ${this.shows(userId, docId, context.time)} times today to this user, cap ${this.config.maxPerDay}`
        : 'frequency-cap: moved up past capped items',
    );
    return out;
  }

  observeServed(served: ServedList): void {
    if (served.userId === undefined) return;
    const day = dayOf(served.time, this.config.timezoneOffsetMinutes);
    let counts = this.users.get(served.userId);
    if (counts !== undefined && day < counts.day) return;
    if (counts === undefined || day > counts.day) counts = { day, shows: new Map() };
    this.users.delete(served.userId);
    this.users.set(served.userId, counts);
    if (this.users.size > this.config.maxUsers) {
      const oldest = this.users.keys().next().value;
      if (oldest !== undefined) this.users.delete(oldest);
    }
    for (const docId of served.docIds) {
      const seen = counts.shows.get(docId);
      if (seen === undefined && counts.shows.size >= this.config.maxItemsPerUser) {
        const first = counts.shows.keys().next().value;
        if (first !== undefined) counts.shows.delete(first);
      }
      counts.shows.set(docId, (seen ?? 0) + 1);
    }
  }
}
