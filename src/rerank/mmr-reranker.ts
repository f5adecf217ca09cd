/**
 * Diversity by Maximal Marginal Relevance (Carbonell & Goldstein, SIGIR 1998): repeatedly pick
 *
 *   argmax_{i ∉ Y}  λ r_i − (1 − λ) max_{j ∈ Y} S_ij
 *
 * with r the ranker's score min-max normalised to [0, 1] and S the item similarity (similarity.ts).
 * λ = 1 is the ranker's order, λ = 0 diversity only.
 */

import { z } from 'zod';
import type { Reranker, ScoredCandidate, StageContext } from '../core/index.js';
import type { ItemAttributes } from './item-attributes.js';
import { applyOrder, normalizedScores, recordMoves } from './reorder.js';
import { buildSimilarity, DEFAULT_SIMILARITY_CONFIG, SimilarityConfigSchema, type SimilarityKernel } from './similarity.js';

export interface MmrConfig {
  /** How many items MMR picks; the rest follow in the ranker's order. */
  k: number;
  /** Relevance weight λ in [0, 1]. */
  lambda: number;
  similarity: z.output<typeof SimilarityConfigSchema>;
}

export const DEFAULT_MMR_CONFIG: MmrConfig = { k: 50, lambda: 0.7, similarity: DEFAULT_SIMILARITY_CONFIG };

export const mmrShape = {
  k: z.int().min(1).max(10_000).default(DEFAULT_MMR_CONFIG.k),
  lambda: z.number().min(0).max(1).default(DEFAULT_MMR_CONFIG.lambda),
  similarity: SimilarityConfigSchema.default(DEFAULT_SIMILARITY_CONFIG),
};
export const MmrConfigSchema = z.strictObject(mmrShape);

export interface MmrResult {
  /** Indices of the picked items, in pick order. [≤ k] */
  order: Int32Array;
  /** Each pick's max similarity to the items picked before it (0 for the first). [≤ k] */
  redundancy: Float64Array;
}

/**
 * Greedy MMR in O(n k) kernel entries: `maxSim` keeps each unpicked item's max similarity to the picks,
 * updated with one kernel row per pick. Ties go to the lower index (the better-ranked item).
 * @param relevance r ([n], in [0, 1]).
 */
export function mmrSelect(options: { relevance: Float64Array; kernel: SimilarityKernel; k: number; lambda: number }): MmrResult {
  const { relevance, kernel, lambda } = options;
  const n = relevance.length;
  const k = Math.min(options.k, n);
  const maxSim = new Float64Array(n); // [n], meaningful once one item is picked
  const row = new Float64Array(n);
  const picked = new Uint8Array(n);
  const order = new Int32Array(k);
  const redundancy = new Float64Array(k);
  // Hot loop (bench/rerank.ts, mmr-500-50): typed arrays only, no allocation.
  for (let t = 0; t < k; t++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < n; i++) {
      if (picked[i] === 1) continue;
      const penalty = t === 0 ? 0 : (maxSim[i] as number);
      const value = lambda * (relevance[i] as number) - (1 - lambda) * penalty;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    order[t] = best;
    redundancy[t] = t === 0 ? 0 : (maxSim[best] as number);
    picked[best] = 1;
    if (t + 1 === k) break;
    kernel.row(best, row);
    for (let i = 0; i < n; i++) {
      const s = row[i] as number;
      if (t === 0 || s > (maxSim[i] as number)) maxSim[i] = s;
    }
  }
  return { order, redundancy };
}

/** The MMR reranker: picks `k` items by MMR, then the rest in the ranker's order. */
export class MmrReranker implements Reranker {
  readonly name = 'mmr';

  constructor(
    private readonly attributes: ItemAttributes,
    private readonly config: MmrConfig = DEFAULT_MMR_CONFIG,
  ) {}

  rerank(context: StageContext, list: readonly ScoredCandidate[]): ScoredCandidate[] {
    if (list.length <= 1) return list.slice();
    const relevance = normalizedScores(list);
    const docIds = Int32Array.from(list, (c) => c.docId);
    const kernel = buildSimilarity(this.config.similarity, this.attributes, docIds);
    const { order, redundancy } = mmrSelect({ relevance, kernel, k: this.config.k, lambda: this.config.lambda });
    const out = applyOrder(list, order, 'append');
    context.trace.annotate(this.name, { k: this.config.k, lambda: this.config.lambda, missingVectors: kernel.missingVectors });
    if (context.trace.detailed) {
      const step = new Map<number, number>();
      order.forEach((i, t) => step.set((list[i] as ScoredCandidate).docId, t));
      recordMoves(context, this.name, { before: list, after: out }, (docId) => {
        const t = step.get(docId);
        return t === undefined
          ? 'mmr: not picked, follows the picks in ranker order'
          : `mmr: pick ${t + 1}, relevance ${round(relevance[order[t] as number] ?? 0)}, max similarity to items above ${round(redundancy[t] ?? 0)}`;
      });
    }
    return out;
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
