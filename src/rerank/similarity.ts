/**
 * Item-to-item similarity over one candidate list, for MMR and DPP. Both kinds are positive
 * semi-definite with a unit diagonal, which DPP needs (L = diag(q) S diag(q) must be a valid kernel):
 *
 * - `cosine`: S = V Vᵀ over L2-normalised item vectors, a Gram matrix. An item without a vector (or
 *   with one of another dimension) gets a zero row, i.e. similarity 0 to every other item, which keeps
 *   S PSD; the count is reported so a trace can show it.
 * - `attributes`: O_ij = Σ_a w_a [a(i) = a(j), both defined] / Σ_a w_a for i ≠ j, O_ii = 1, and
 *   S = γ O + (1 − γ) I with γ = `maxSimilarity`. Each equality indicator is a block of ones (PSD); a
 *   weighted sum of PSD matrices plus a non-negative diagonal stays PSD. γ < 1 keeps items alike in
 *   every attribute distinguishable: with γ = 1 they would be duplicates, and a DPP could pick only one.
 */

import { z } from 'zod';
import { GROUP_ATTRIBUTES, internGroups, type GroupAttribute, type ItemAttributes } from './item-attributes.js';

export const SimilarityConfigSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('cosine') }),
    z.strictObject({
      kind: z.literal('attributes'),
      /** Weight of each attribute's equality; at least one must be positive. */
      weights: z
        .record(z.string(), z.number().nonnegative().finite())
        .superRefine((weights, ctx) => {
          for (const name of Object.keys(weights)) {
            if (!(GROUP_ATTRIBUTES as readonly string[]).includes(name)) {
              ctx.addIssue({ code: 'custom', path: [name], message: `unknown attribute ${JSON.stringify(name)}, expected one of ${GROUP_ATTRIBUTES.join(', ')}` });
            }
          }
          if (!Object.values(weights).some((w) => w > 0)) ctx.addIssue({ code: 'custom', message: 'at least one attribute weight must be positive' });
        })
        .transform((weights) => weights as Partial<Record<GroupAttribute, number>>),
      /** γ: the similarity of two items equal in every weighted attribute. */
      maxSimilarity: z.number().min(0).max(1).default(0.9),
    }),
  ],
  { error: (issue) => `unknown similarity kind ${JSON.stringify((issue.input as { kind?: unknown } | undefined)?.kind)}, expected cosine or attributes` },
);
export type SimilarityConfig = z.output<typeof SimilarityConfigSchema>;

/** Attributes by default: the catalog has no item vectors until the vector-recall capability. */
export const DEFAULT_SIMILARITY_CONFIG: SimilarityConfig = { kind: 'attributes', weights: { brand: 1, category: 1, shop: 0.5 }, maxSimilarity: 0.9 };

/** S over a list of n candidates. */
export interface SimilarityKernel {
  readonly size: number;
  /** Candidates that had no usable vector (cosine only; 0 otherwise). */
  readonly missingVectors: number;
  /** Writes row i of S into `out` ([n]); out[i] = 1. */
  row(i: number, out: Float64Array): void;
}

/** Builds S for the candidates `docIds` (in list order). */
export function buildSimilarity(config: SimilarityConfig, attributes: ItemAttributes, docIds: ArrayLike<number>): SimilarityKernel {
  return config.kind === 'cosine' ? cosineKernel(attributes, docIds) : attributeKernel(attributes, docIds, config);
}

function cosineKernel(attributes: ItemAttributes, docIds: ArrayLike<number>): SimilarityKernel {
  const n = docIds.length;
  let dim = 0;
  for (let i = 0; i < n && dim === 0; i++) dim = attributes.vector(docIds[i] as number)?.length ?? 0;
  // Rows padded with zeros to a multiple of 4 for the unrolled dot product; float64 because V8 reads
  // it faster than float32 (bench/rerank.ts, dpp-500-50: 2.6× on the kernel rows).
  const stride = Math.ceil(dim / 4) * 4;
  const unit = new Float64Array(n * stride); // [n, stride] row-major, rows L2-normalised, zero when missing
  let missingVectors = 0;
  for (let i = 0; i < n; i++) {
    const v = attributes.vector(docIds[i] as number);
    let norm = 0;
    if (v !== undefined && v.length === dim) for (let d = 0; d < dim; d++) norm += (v[d] as number) ** 2;
    if (v === undefined || !(norm > 0)) {
      missingVectors++;
      continue;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < dim; d++) unit[i * stride + d] = (v[d] as number) * inv;
  }
  return {
    size: n,
    missingVectors,
    row(i, out) {
      const base = i * stride;
      for (let j = 0; j < n; j++) {
        const other = j * stride;
        let d0 = 0;
        let d1 = 0;
        let d2 = 0;
        let d3 = 0;
        for (let d = 0; d < stride; d += 4) {
          d0 += (unit[base + d] as number) * (unit[other + d] as number);
          d1 += (unit[base + d + 1] as number) * (unit[other + d + 1] as number);
          d2 += (unit[base + d + 2] as number) * (unit[other + d + 2] as number);
          d3 += (unit[base + d + 3] as number) * (unit[other + d + 3] as number);
        }
        out[j] = d0 + d1 + d2 + d3;
      }
      out[i] = 1;
    },
  };
}

function attributeKernel(
  attributes: ItemAttributes,
  docIds: ArrayLike<number>,
  config: { weights: Partial<Record<GroupAttribute, number>>; maxSimilarity: number },
): SimilarityKernel {
  const n = docIds.length;
  const used = (Object.entries(config.weights) as [GroupAttribute, number][]).filter(([, w]) => w > 0);
  // Dividing by Σw / γ folds γ into the weights: S_ij = γ O_ij off the diagonal.
  const total = used.reduce((sum, [, w]) => sum + w, 0) / config.maxSimilarity;
  const a = used.length;
  const w = Float64Array.from(used, ([, weight]) => weight / total); // [a], sums to γ
  const codes = new Int32Array(n * a); // [n, a] row-major, -1 = no value
  used.forEach(([attribute], k) => {
    const column = internGroups(attributes, docIds, attribute).codes;
    for (let i = 0; i < n; i++) codes[i * a + k] = column[i] as number;
  });
  return {
    size: n,
    missingVectors: 0,
    row(i, out) {
      const base = i * a;
      for (let j = 0; j < n; j++) {
        let s = 0;
        const other = j * a;
        for (let k = 0; k < a; k++) {
          const code = codes[base + k] as number;
          if (code >= 0 && code === codes[other + k]) s += w[k] as number;
        }
        out[j] = s;
      }
      out[i] = 1;
    },
  };
}
