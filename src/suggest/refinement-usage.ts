/**
 * How often users refine a search each way: by brand, category, price or another attribute. When a
 * session's next search extends the previous one (`手机` → `华为手机`, `手机` → `白色 手机`), the words
 * added name the refinement; a classifier (the catalog's brands, category names, attribute values and
 * price words) says which kind it is. The counts become the `facetWeights` of `refinementChips`:
 * the refinements users make by themselves are the chips worth offering first.
 */

import type { SearchStep } from './related-queries.js';
import { SessionSteps } from './session-steps.js';

export const REFINEMENT_KINDS = ['brand', 'category', 'price', 'attribute'] as const;
export type RefinementKind = (typeof REFINEMENT_KINDS)[number];

export interface RefinementUsageConfig {
  /** Two searches further apart are not one refinement. */
  maxGapMs: number;
  /** Longer queries are ignored. */
  maxLength: number;
  /** Open sessions remembered (the oldest is forgotten first). */
  maxSessions: number;
  /** Pseudo-refinements of each kind: with few observed, every weight stays near 1. */
  prior: number;
}

export const DEFAULT_REFINEMENT_USAGE: RefinementUsageConfig = { maxGapMs: 30 * 60_000, maxLength: 100, maxSessions: 100_000, prior: 20 };

/** What the words a user added (as a variant key: no spaces or punctuation) refine by, if anything known. */
export type RefinementClassifier = (added: string) => RefinementKind | undefined;

export class RefinementUsage {
  readonly config: RefinementUsageConfig;
  private readonly steps: SessionSteps;
  private readonly counts: Record<RefinementKind, number> = { brand: 0, category: 0, price: 0, attribute: 0 };

  /** @param classify the kind of an added text (called once per extension observed). */
  constructor(
    private readonly classify: RefinementClassifier,
    config: Partial<RefinementUsageConfig> = {},
  ) {
    this.config = { ...DEFAULT_REFINEMENT_USAGE, ...config };
    this.steps = new SessionSteps(this.config);
  }

  /** Learns from one search; feed a session's searches in time order. */
  observe(step: SearchStep): void {
    const found = this.steps.next(step);
    if (found?.from === undefined) return;
    const added = addedText(found.from, found.to);
    const kind = added === undefined ? undefined : this.classify(added);
    if (kind !== undefined) this.counts[kind]++;
  }

  /** Refinements observed, by kind. */
  observed(): Record<RefinementKind, number> {
    return { ...this.counts };
  }

  /**
   * Each kind's weight: its smoothed share of the observed refinements over a uniform share,
   * (n_k + prior) / ((N + K · prior) / K) for K kinds; 1 for every kind before any is observed.
   */
  weights(): Record<RefinementKind, number> {
    const { prior } = this.config;
    const total = REFINEMENT_KINDS.reduce((s, k) => s + this.counts[k], 0);
    const uniform = (total + REFINEMENT_KINDS.length * prior) / REFINEMENT_KINDS.length;
    const out = { brand: 1, category: 1, price: 1, attribute: 1 };
    if (uniform === 0) return out;
    for (const kind of REFINEMENT_KINDS) out[kind] = (this.counts[kind] + prior) / uniform;
    return out;
  }
}

/** The text `next` adds to `previous` when it keeps all of it (`手机` → `华为手机` adds `华为`); else undefined. */
export function addedText(previous: string, next: string): string | undefined {
  if (previous === '' || next.length <= previous.length) return undefined;
  const at = next.indexOf(previous);
  if (at < 0) return undefined;
  return next.slice(0, at) + next.slice(at + previous.length);
}
