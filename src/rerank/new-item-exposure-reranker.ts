/**
 * Guaranteed exposure for new items: a daily quota of new-item impressions, paced over the day by a PI
 * controller (pacing-controller.ts). A request gets a boost when the controller's throttle says so:
 * each request adds the rate p to a credit and boosts when the credit reaches 1 (error diffusion, so
 * the share of boosted requests is p without any randomness). A boost moves new items into the
 * configured slots, the least exposed today first; the boost cap `maxLift` keeps an item that ranks far
 * down from jumping to the top. Delivery is counted from served lists (`observeServed`), so new items
 * the ranker shows on its own count too and need no boost.
 */

import { z } from 'zod';
import type { Reranker, ScoredCandidate, StageContext } from '../core/index.js';
import type { ItemAttributes } from './item-attributes.js';
import { DEFAULT_PACING_CONFIG, PacingConfigSchema, PacingController, type PacingConfig } from './pacing-controller.js';
import { recordMoves } from './reorder.js';
import { dayOf, type ServedList, type ServedListObserver } from './served-list.js';

export interface NewItemExposureConfig {
  /** An item is new for this long after its `createdAt`. */
  maxAgeMs: number;
  /** 1-based positions a boosted new item is moved to, ascending. */
  slots: number[];
  /** Boost cap: a new item is lifted at most this many positions. */
  maxLift: number;
  /** New items whose exposures today are tracked; beyond it the oldest tracked is forgotten. */
  maxTrackedItems: number;
  pacing: PacingConfig;
}

export const DEFAULT_NEW_ITEM_EXPOSURE_CONFIG: NewItemExposureConfig = {
  maxAgeMs: 3 * 86_400_000,
  slots: [3, 7],
  maxLift: 50,
  maxTrackedItems: 100_000,
  pacing: DEFAULT_PACING_CONFIG,
};

export const newItemExposureShape = {
  maxAgeMs: z.int().min(1).default(DEFAULT_NEW_ITEM_EXPOSURE_CONFIG.maxAgeMs),
  slots: z
    .array(z.int().min(1, 'slots are 1-based positions').max(10_000))
    .min(1)
    .max(100)
    .refine((s) => s.every((x, i) => i === 0 || x > (s[i - 1] as number)), { message: 'slots must be ascending without repeats' })
    .default(DEFAULT_NEW_ITEM_EXPOSURE_CONFIG.slots),
  maxLift: z.int().min(0, 'maxLift must not be negative').default(DEFAULT_NEW_ITEM_EXPOSURE_CONFIG.maxLift),
  maxTrackedItems: z.int().min(1).max(10_000_000).default(DEFAULT_NEW_ITEM_EXPOSURE_CONFIG.maxTrackedItems),
  pacing: PacingConfigSchema.prefault({}),
};
export const NewItemExposureConfigSchema = z.strictObject(newItemExposureShape);

export class NewItemExposureReranker implements Reranker, ServedListObserver {
  readonly name = 'new-item-exposure';
  private readonly pacing: PacingController;
  private credit = 0;
  /** Today's exposures per tracked new item (insertion order = first seen, for eviction). */
  private exposures = new Map<number, number>();
  private exposureDay = Number.NaN;

  constructor(
    private readonly attributes: ItemAttributes,
    private readonly config: NewItemExposureConfig = DEFAULT_NEW_ITEM_EXPOSURE_CONFIG,
  ) {
    this.pacing = new PacingController(config.pacing);
  }

  isNew(docId: number, time: number): boolean {
    const created = this.attributes.createdAt(docId);
    return created !== undefined && created <= time && time - created < this.config.maxAgeMs;
  }

  rerank(context: StageContext, list: readonly ScoredCandidate[]): ScoredCandidate[] {
    const rate = this.pacing.rate(context.time);
    this.credit = Math.min(1, this.credit + rate);
    const detail = { rate: round(rate), ...this.pacingDetail(context.time) };
    if (this.credit < 1) {
      context.trace.annotate(this.name, { ...detail, boosted: 0 });
      return list.slice();
    }
    const out = list.slice();
    const boosted = this.boost(out, context.time);
    // Spend the credit only when a boost happened: a list without new items keeps it for the next.
    if (boosted.length > 0) this.credit -= 1;
    context.trace.annotate(this.name, { ...detail, boosted: boosted.length });
    if (context.trace.detailed && boosted.length > 0) {
      const why = `new-item-exposure: boosted new item (pacing rate ${round(rate)}, delivered ${detail.delivered} of ${detail.target} due)`;
      const lifted = new Set(boosted);
      recordMoves(context, this.name, { before: list, after: out }, (docId) =>
        lifted.has(docId) ? `${why}, ${this.exposures.get(docId) ?? 0} exposures today` : 'new-item-exposure: a boosted new item took a slot above',
      );
    }
    return out;
  }

  /** Moves new items into the slots, in place; returns the doc ids moved. */
  private boost(out: ScoredCandidate[], time: number): number[] {
    const moved: number[] = [];
    for (const slot of this.config.slots) {
      const target = slot - 1;
      if (target >= out.length) break;
      if (this.isNew((out[target] as ScoredCandidate).docId, time)) continue;
      let pick = -1;
      let pickExposures = Infinity;
      const last = Math.min(out.length - 1, target + this.config.maxLift);
      for (let i = target + 1; i <= last; i++) {
        const docId = (out[i] as ScoredCandidate).docId;
        if (!this.isNew(docId, time)) continue;
        const seen = this.exposures.get(docId) ?? 0;
        if (seen < pickExposures) {
          pick = i;
          pickExposures = seen;
        }
      }
      if (pick < 0) continue;
      const [item] = out.splice(pick, 1) as [ScoredCandidate];
      out.splice(target, 0, item);
      moved.push(item.docId);
    }
    return moved;
  }

  /** Counts the new items of a served list toward the quota and their own exposures. */
  observeServed(served: ServedList): void {
    const day = dayOf(served.time, this.config.pacing.timezoneOffsetMinutes);
    if (day > this.exposureDay || Number.isNaN(this.exposureDay)) {
      this.exposures = new Map();
      this.exposureDay = day;
    } else if (day < this.exposureDay) {
      return;
    }
    let count = 0;
    for (const docId of served.docIds) {
      if (!this.isNew(docId, served.time)) continue;
      count++;
      const seen = this.exposures.get(docId);
      if (seen === undefined && this.exposures.size >= this.config.maxTrackedItems) {
        const oldest = this.exposures.keys().next().value;
        if (oldest !== undefined) this.exposures.delete(oldest);
      }
      this.exposures.set(docId, (seen ?? 0) + 1);
    }
    this.pacing.record(served.time, count);
  }

  private pacingDetail(time: number): { delivered: number; target: number } {
    const state = this.pacing.state(time);
    return { delivered: state.delivered, target: Math.round(state.target) };
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
