/**
 * Diversity by a determinantal point process: pick the k items whose kernel sub-matrix has the largest
 * determinant, greedily, with Chen, Zhang & Zhou's fast MAP inference ("Fast Greedy MAP Inference for
 * Determinantal Point Process to Improve Recommendation Diversity", NeurIPS 2018, Algorithm 1).
 *
 * Kernel (Chen et al. §4, relevance/diversity trade-off): L = diag(q) S diag(q), S the item similarity
 * (PSD, unit diagonal, see similarity.ts) and q_i = exp(α r_i), r_i the ranker's score min-max
 * normalised to [0, 1]. Then log det(L_Y) = 2α Σ_{i∈Y} r_i + log det(S_Y), and α = θ / (2(1 − θ)) makes
 * it proportional to θ Σ r_i + (1 − θ) log det(S_Y): θ = 0 is diversity only, θ → 1 relevance only.
 */

import { z } from 'zod';
import type { Reranker, ScoredCandidate, StageContext } from '../core/index.js';
import type { ItemAttributes } from './item-attributes.js';
import { applyOrder, normalizedScores, recordMoves } from './reorder.js';
import { buildSimilarity, DEFAULT_SIMILARITY_CONFIG, SimilarityConfigSchema, type SimilarityKernel } from './similarity.js';

export interface DppConfig {
  /** How many items the DPP picks; the rest follow in the ranker's order. */
  k: number;
  /** Relevance weight θ in [0, 1). */
  theta: number;
  /**
   * An item whose share of new variance d_i² / q_i² (its conditional variance in S given the picks,
   * in [0, 1]) is below this is spanned by the picks and never picked; picking stops when none is left.
   * Relative to q², so it means the same at every θ.
   */
  epsilon: number;
  similarity: z.output<typeof SimilarityConfigSchema>;
}

export const DEFAULT_DPP_CONFIG: DppConfig = { k: 50, theta: 0.7, epsilon: 1e-6, similarity: DEFAULT_SIMILARITY_CONFIG };

export const dppShape = {
  k: z.int().min(1).max(10_000).default(DEFAULT_DPP_CONFIG.k),
  theta: z.number().min(0).lt(1, 'theta must be below 1 (θ = 1 is the ranker order: drop the reranker)').default(DEFAULT_DPP_CONFIG.theta),
  epsilon: z.number().positive().lt(1).default(DEFAULT_DPP_CONFIG.epsilon),
  similarity: SimilarityConfigSchema.default(DEFAULT_SIMILARITY_CONFIG),
};
export const DppConfigSchema = z.strictObject(dppShape);

export interface DppResult {
  /** Indices of the picked items, in pick order. [≤ k] */
  order: Int32Array;
  /** The marginal gain d² = det(L_{Y∪i}) / det(L_Y) of each pick. [≤ k] */
  gains: Float64Array;
}

/**
 * Greedy MAP inference, O(n k²) time after the kernel rows: each step extends every unpicked item's
 * row of the incremental Cholesky factor by one entry (Chen et al. eqs. 5-7),
 *
 *   e_i = (L_ji − ⟨c_j, c_i⟩) / d_j,   c_i ← [c_i, e_i],   d_i² ← d_i² − e_i²,
 *
 * and picks j = argmax d_i² (ties to the lower index, i.e. the better-ranked item) among the items
 * not yet spanned (d_i² ≥ ε q_i², see `DppConfig.epsilon`).
 * @param quality q ([n], positive).
 * @param kernel S over the same n items.
 */
export function greedyDppMap(options: { quality: Float64Array; kernel: SimilarityKernel; k: number; epsilon: number }): DppResult {
  const { quality, kernel, epsilon } = options;
  const n = quality.length;
  const k = Math.min(options.k, n);
  const c = new Float64Array(n * k); // [n, k] row-major: item i's Cholesky coefficients
  const d2 = new Float64Array(n); // [n] marginal gains
  const row = new Float64Array(n); // [n] S[j, :]
  const picked = new Uint8Array(n);
  const order = new Int32Array(k);
  const gains = new Float64Array(k);
  let j = -1;
  for (let i = 0; i < n; i++) {
    const q = quality[i] as number;
    d2[i] = q * q; // L_ii = q_i² S_ii, S_ii = 1
    if (j < 0 || (d2[i] as number) > (d2[j] as number)) j = i;
  }
  let t = 0;
  // Hot loop (bench/rerank.ts, dpp-500-50): typed arrays only, no allocation.
  while (t < k && j >= 0) {
    order[t] = j;
    gains[t] = d2[j] as number;
    picked[j] = 1;
    if (t + 1 === k) {
      t++;
      break;
    }
    kernel.row(j, row);
    const dj = Math.sqrt(d2[j] as number);
    const qj = quality[j] as number;
    const cj = j * k;
    let next = -1;
    let best = -Infinity;
    for (let i = 0; i < n; i++) {
      if (picked[i] === 1) continue;
      const ci = i * k;
      let dot = 0;
      for (let s = 0; s < t; s++) dot += (c[cj + s] as number) * (c[ci + s] as number);
      const e = (qj * (quality[i] as number) * (row[i] as number) - dot) / dj;
      c[ci + t] = e;
      const gain = (d2[i] as number) - e * e;
      d2[i] = gain;
      if (gain > best && gain >= epsilon * (quality[i] as number) * (quality[i] as number)) {
        best = gain;
        next = i;
      }
    }
    j = next;
    t++;
  }
  return { order: order.slice(0, t), gains: gains.slice(0, t) };
}

/** The DPP reranker: picks `k` items by greedy MAP, then the rest in the ranker's order. */
export class DppReranker implements Reranker {
  readonly name = 'dpp';
  private readonly alpha: number;

  constructor(
    private readonly attributes: ItemAttributes,
    private readonly config: DppConfig = DEFAULT_DPP_CONFIG,
  ) {
    this.alpha = config.theta / (2 * (1 - config.theta));
  }

  rerank(context: StageContext, list: readonly ScoredCandidate[]): ScoredCandidate[] {
    if (list.length <= 1) return list.slice();
    const relevance = normalizedScores(list);
    const quality = relevance.map((r) => Math.exp(this.alpha * r));
    const docIds = Int32Array.from(list, (c) => c.docId);
    const kernel = buildSimilarity(this.config.similarity, this.attributes, docIds);
    const { order, gains } = greedyDppMap({ quality, kernel, k: this.config.k, epsilon: this.config.epsilon });
    const out = applyOrder(list, order, 'append');
    context.trace.annotate(this.name, { k: this.config.k, theta: this.config.theta, picked: order.length, missingVectors: kernel.missingVectors });
    if (context.trace.detailed) this.explain(context, { list, out, order, gains });
    return out;
  }

  private explain(
    context: StageContext,
    run: { list: readonly ScoredCandidate[]; out: ScoredCandidate[]; order: Int32Array; gains: Float64Array },
  ): void {
    const step = new Map<number, number>();
    run.order.forEach((i, t) => step.set((run.list[i] as ScoredCandidate).docId, t));
    recordMoves(context, this.name, { before: run.list, after: run.out }, (docId) => {
      const t = step.get(docId);
      return t === undefined
        ? 'dpp: not picked, follows the picks in ranker order'
        : `dpp: pick ${t + 1}, marginal gain det(L_Y+i)/det(L_Y) = ${round(run.gains[t] ?? 0)}`;
    });
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
