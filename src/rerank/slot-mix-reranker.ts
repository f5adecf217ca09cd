/**
 * Slot-based mixing of heterogeneous items: products (the organic list), ads and content cards, merged
 * into one list by a common value, each inserted kind in its allowed slots with a minimum gap and a
 * maximum count.
 *
 * The common value of an item at a position is what the list gains by showing it there, in the unit
 * of the ranker's score (expected engagement):
 *
 *   product: value = score
 *   ad:      value = ad.exchangeRate · eCPM / 1000        (expected revenue per impression, converted;
 *            eCPM from the ranker's auction, `ScoredCandidate.ad`, else from `ItemAttributes.eCpm`)
 *   content: value = content.exchangeRate · score
 *
 * The exchange rates say how much engagement one unit of ad revenue (or of a content card's score) is
 * worth; they are business decisions and must be calibrated to the ranker's scale (a popularity score
 * near 1 and an eCPM of 40 balance at ad.exchangeRate = 25).
 *
 * Slots are filled top-down: each position takes the most valuable of the next product, the best ad
 * still placeable there and the best content card still placeable there (ties to the product, then
 * content). Products keep their order; ads and cards go best value first. An ad or card that never
 * finds a slot is dropped from the list, never shown out of its slots (the trace lists them).
 */

import { z } from 'zod';
import type { Reranker, ScoredCandidate, StageContext } from '../core/index.js';
import type { ItemAttributes } from './item-attributes.js';
import { applyOrder, recordMoves } from './reorder.js';

export interface SlotStreamConfig {
  /** 1-based positions the kind may take, ascending; empty = any position. */
  slots: number[];
  /** At least this many other items between two items of the kind (0 = may be adjacent). */
  minGap: number;
  /** At most this many items of the kind in the list. */
  maxCount: number;
  /** Value per unit: of eCPM / 1000 for ads, of score for content cards. */
  exchangeRate: number;
}

export interface SlotMixConfig {
  ad: SlotStreamConfig;
  content: SlotStreamConfig;
}

export const DEFAULT_SLOT_MIX_CONFIG: SlotMixConfig = {
  ad: { slots: [3, 7, 11, 15, 19], minGap: 3, maxCount: 3, exchangeRate: 25 },
  content: { slots: [], minGap: 5, maxCount: 2, exchangeRate: 1 },
};

function streamSchema(defaults: SlotStreamConfig) {
  return z
    .strictObject({
      slots: z.array(z.int().min(1, 'slots are 1-based positions').max(10_000)).max(1_000).default(defaults.slots),
      minGap: z.int().min(0, 'minGap must not be negative').max(10_000).default(defaults.minGap),
      maxCount: z.int().min(0, 'maxCount must not be negative').max(10_000).default(defaults.maxCount),
      exchangeRate: z.number().nonnegative('exchangeRate must not be negative').finite().default(defaults.exchangeRate),
    })
    .superRefine((stream, ctx) => {
      stream.slots.forEach((slot, i) => {
        if (i > 0 && slot <= (stream.slots[i - 1] as number)) {
          ctx.addIssue({ code: 'custom', path: ['slots', i], message: `slots must be ascending without repeats, got ${slot} after ${stream.slots[i - 1]}` });
        }
      });
    })
    .prefault({});
}

export const slotMixShape = { ad: streamSchema(DEFAULT_SLOT_MIX_CONFIG.ad), content: streamSchema(DEFAULT_SLOT_MIX_CONFIG.content) };
export const SlotMixConfigSchema = z.strictObject(slotMixShape);

/** What kind of slot an item competes for. */
export const STREAM_ORGANIC = 0;
export const STREAM_AD = 1;
export const STREAM_CONTENT = 2;

export interface MixInput {
  /** Each item's stream (STREAM_ORGANIC, STREAM_AD, STREAM_CONTENT). [n] */
  stream: Uint8Array;
  /** Each item's common value. [n] */
  value: Float64Array;
  /** The rules of the ad and content streams. */
  ad: Omit<SlotStreamConfig, 'exchangeRate'>;
  content: Omit<SlotStreamConfig, 'exchangeRate'>;
}

export interface MixResult {
  /** Input indices in output order. [≤ n] */
  order: Int32Array;
  /** Input indices of the ads and cards that found no slot. */
  dropped: number[];
}

/** The slot filling of the file comment, as a pure function of streams and values. */
export function mixSlots(input: MixInput): MixResult {
  const n = input.stream.length;
  const queues = [0, 1, 2].map((s) => {
    const members = [];
    for (let i = 0; i < n; i++) if (input.stream[i] === s) members.push(i);
    // Organic keeps its order; inserted kinds go best value first (stable for equal values).
    if (s !== STREAM_ORGANIC) members.sort((a, b) => (input.value[b] as number) - (input.value[a] as number) || a - b);
    return { members, next: 0 };
  });
  const rules = [undefined, compileStream(input.ad), compileStream(input.content)];
  const order: number[] = [];
  for (let position = 1; ; position++) {
    let pick = -1;
    let pickValue = -Infinity;
    for (const s of [STREAM_ORGANIC, STREAM_CONTENT, STREAM_AD]) {
      const queue = queues[s] as { members: number[]; next: number };
      const head = queue.members[queue.next];
      if (head === undefined) continue;
      const rule = rules[s];
      if (rule !== undefined && !rule.allows(position)) continue;
      if ((input.value[head] as number) > pickValue) {
        pick = s;
        pickValue = input.value[head] as number;
      }
    }
    if (pick < 0) break;
    const queue = queues[pick] as { members: number[]; next: number };
    order.push(queue.members[queue.next++] as number);
    rules[pick]?.take(position);
  }
  const dropped = queues.flatMap((q) => q.members.slice(q.next));
  return { order: Int32Array.from(order), dropped };
}

function compileStream(config: Omit<SlotStreamConfig, 'exchangeRate'>) {
  const anywhere = config.slots.length === 0;
  const allowed = new Set(config.slots);
  let count = 0;
  let last = -Infinity;
  return {
    allows: (position: number) =>
      count < config.maxCount && (anywhere || allowed.has(position)) && position - last - 1 >= config.minGap,
    take: (position: number) => {
      count++;
      last = position;
    },
  };
}

/** Mixes ads and content cards into the ranked products (see the file comment). */
export class SlotMixReranker implements Reranker {
  readonly name = 'slot-mix';

  constructor(
    private readonly attributes: ItemAttributes,
    private readonly config: SlotMixConfig = DEFAULT_SLOT_MIX_CONFIG,
  ) {}

  rerank(context: StageContext, list: readonly ScoredCandidate[]): ScoredCandidate[] {
    const n = list.length;
    const stream = new Uint8Array(n);
    const value = new Float64Array(n);
    list.forEach((c, i) => {
      const kind = this.attributes.kind(c.docId);
      if (kind === 'ad') {
        stream[i] = STREAM_AD;
        // The auction's eCPM (rank/) when the ranker ran one, else the catalog's estimate.
        value[i] = (this.config.ad.exchangeRate * (c.ad?.eCpm ?? this.attributes.eCpm(c.docId) ?? 0)) / 1000;
      } else if (kind === 'content') {
        stream[i] = STREAM_CONTENT;
        value[i] = this.config.content.exchangeRate * c.score;
      } else {
        value[i] = c.score;
      }
    });
    const { order, dropped } = mixSlots({ stream, value, ad: this.config.ad, content: this.config.content });
    const out = applyOrder(list, order, 'drop');
    context.trace.annotate(this.name, {
      ads: countStream(stream, order, STREAM_AD),
      content: countStream(stream, order, STREAM_CONTENT),
      dropped: dropped.map((i) => ({ docId: list[i]?.docId, kind: stream[i] === STREAM_AD ? 'ad' : 'content', value: value[i] })),
    });
    if (context.trace.detailed) {
      const at = new Map<number, number>();
      list.forEach((c, i) => at.set(c.docId, i));
      recordMoves(context, this.name, { before: list, after: out }, (docId, _from, to) => {
        const i = at.get(docId) ?? 0;
        const kind = ['product', 'ad', 'content card'][stream[i] as number] ?? 'item';
        return stream[i] === STREAM_ORGANIC
          ? `slot-mix: product follows the ads and content cards placed above it`
          : `slot-mix: ${kind} placed in slot ${to} with value ${Math.round((value[i] as number) * 1e4) / 1e4}`;
      });
    }
    return out;
  }
}

function countStream(stream: Uint8Array, order: Int32Array, s: number): number {
  let count = 0;
  for (const i of order) if (stream[i] === s) count++;
  return count;
}
