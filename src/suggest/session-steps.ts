/**
 * The step from a session's previous search to its next: what `RelatedQueries` and `RefinementUsage`
 * learn from. Remembers each open session's last query (as a variant key) and its time, forgetting the
 * least recently active session beyond `maxSessions`.
 */

import { queryForm, variantKey } from './query-text.js';
import type { SearchStep } from './related-queries.js';

export interface SessionStepsConfig {
  /** Two searches further apart are not one step. */
  maxGapMs: number;
  /** Longer queries are ignored. */
  maxLength: number;
  /** Open sessions remembered (the least recently active is forgotten first). */
  maxSessions: number;
}

export class SessionSteps {
  private readonly last = new Map<string, { key: string; time: number }>();

  constructor(private readonly config: SessionStepsConfig) {}

  /**
   * Records `step` as its session's latest search. Returns its query form (`text`) and variant key
   * (`to`), with `from` the previous search's key when that came within `maxGapMs`; undefined (the
   * session left as it was) for an empty or too long query.
   */
  next(step: SearchStep): { from: string | undefined; to: string; text: string } | undefined {
    const text = queryForm(step.query, this.config.maxLength);
    if (text === '') return undefined;
    const key = variantKey(text);
    const who = step.sessionId === undefined ? `user:${step.userId}` : `session:${step.sessionId}`;
    const previous = this.last.get(who);
    this.last.delete(who);
    this.last.set(who, { key, time: step.time });
    if (this.last.size > this.config.maxSessions) this.last.delete(this.last.keys().next().value as string);
    const from = previous === undefined || step.time - previous.time > this.config.maxGapMs ? undefined : previous.key;
    return { from, to: key, text };
  }
}
