/**
 * The FFM training and scoring loops as plain functions over flat typed arrays (no method calls, no
 * property loads, no allocation per row): what bench/ctr.ts measures (rows ffm-k4, ffm-k8, score-1000).
 * The math is documented in field-aware-factorization-machine.ts.
 *
 * Layouts: weights and weightsG are [nFeatures, nFields, k], W[j, f, d] at (j * nFields + f) * k + d;
 * linear and linearG are [nFeatures]; bias and biasG are [1].
 */

import { rowScale, type SparseBatch } from './sparse-batch.js';

export interface FfmArrays {
  bias: Float32Array;
  biasG: Float32Array;
  linear: Float32Array;
  linearG: Float32Array;
  weights: Float32Array;
  weightsG: Float32Array;
}

export interface FfmKernelConfig {
  k: number;
  /** Instance normalisation (pairwise terms times 1 / ||x||^2). */
  normalize: boolean;
  nFields: number;
  learningRate: number;
  lambda: number;
  linear: boolean;
}

/** Per-row scratch, grown to the longest row: W offset of each entry's feature, field * k, value. */
export class FfmScratch {
  bases = new Int32Array(64);
  fieldOffsets = new Int32Array(64);
  xs = new Float64Array(64);

  ensure(n: number): void {
    if (n <= this.xs.length) return;
    const size = Math.max(n, this.xs.length * 2);
    this.bases = new Int32Array(size);
    this.fieldOffsets = new Int32Array(size);
    this.xs = new Float64Array(size);
  }
}

/**
 * One AdaGrad step per row `order[from..to)` (libffm's update, Juan et al. 2016 section 3.1); returns
 * the summed logloss of the rows, each before its own update. `scales` holds 1 / ||x||^2 per row, or is
 * undefined without instance normalisation.
 */
// Hot loop: longer than the usual function on purpose (one frame per row; bench/ctr.ts ffm-k4/k8).
export function ffmTrainRows(
  arrays: FfmArrays,
  config: FfmKernelConfig,
  scratch: FfmScratch,
  rows: { batch: SparseBatch; order: Int32Array; from: number; to: number; scales: Float32Array | undefined },
): number {
  const { bias, biasG, linear, linearG, weights: w, weightsG: G } = arrays;
  const { k, learningRate: lr, lambda } = config;
  const useLinear = config.linear;
  const stride = config.nFields * k;
  const k4 = k % 4 === 0;
  const { batch, order, from, to, scales } = rows;
  const { offsets, indices, fields, values, labels } = batch;
  let lossSum = 0;
  for (let o = from; o < to; o++) {
    const row = order[o] as number;
    const start = offsets[row] as number;
    const n = (offsets[row + 1] as number) - start;
    scratch.ensure(n);
    const { bases, fieldOffsets, xs } = scratch;
    const scale = scales === undefined ? 1 : (scales[row] as number);

    // Forward: bias + linear + pairwise.
    let t = useLinear ? (bias[0] as number) : 0;
    for (let a = 0; a < n; a++) {
      const j = indices[start + a] as number;
      const x = values[start + a] as number;
      bases[a] = j * stride;
      fieldOffsets[a] = (fields[start + a] as number) * k;
      xs[a] = x;
      if (useLinear) t += (linear[j] as number) * x;
    }
    for (let a = 0; a < n; a++) {
      const baseA = bases[a] as number;
      const fieldA = fieldOffsets[a] as number;
      const xa = (xs[a] as number) * scale;
      for (let b = a + 1; b < n; b++) {
        const wa = baseA + (fieldOffsets[b] as number);
        const wb = (bases[b] as number) + fieldA;
        t += dot(w, wa, wb, k) * xa * (xs[b] as number);
      }
    }

    // Loss and d loss / d t = sigmoid(t) - y, as logitLoss and sigmoid compute them, sharing one exp.
    const y = labels[row] as number;
    const e = Math.exp(-Math.abs(t));
    lossSum += Math.max(t, 0) - t * y + Math.log1p(e);
    const kappa = (t >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;

    // Backward: AdaGrad on bias and linear, then on both vectors of every pair from their old values.
    if (useLinear) {
      const sb = (biasG[0] as number) + kappa * kappa;
      biasG[0] = sb;
      bias[0] = (bias[0] as number) - (lr * kappa) / Math.sqrt(sb);
      for (let a = 0; a < n; a++) {
        const j = indices[start + a] as number;
        const g = kappa * (xs[a] as number) + lambda * (linear[j] as number);
        const s = (linearG[j] as number) + g * g;
        linearG[j] = s;
        linear[j] = (linear[j] as number) - (lr * g) / Math.sqrt(s);
      }
    }
    const kappaScale = kappa * scale;
    for (let a = 0; a < n; a++) {
      const baseA = bases[a] as number;
      const fieldA = fieldOffsets[a] as number;
      const ka = kappaScale * (xs[a] as number);
      for (let b = a + 1; b < n; b++) {
        const wa = baseA + (fieldOffsets[b] as number);
        const wb = (bases[b] as number) + fieldA;
        const c = ka * (xs[b] as number);
        if (k4) {
          // Unrolled by four: V8 does not unroll loops, and k is a multiple of 4 in practice (4, 8, 16).
          for (let d = 0; d < k; d += 4) {
            adagradPair(w, G, wa + d, wb + d, c, lr, lambda);
            adagradPair(w, G, wa + d + 1, wb + d + 1, c, lr, lambda);
            adagradPair(w, G, wa + d + 2, wb + d + 2, c, lr, lambda);
            adagradPair(w, G, wa + d + 3, wb + d + 3, c, lr, lambda);
          }
        } else {
          for (let d = 0; d < k; d++) adagradPair(w, G, wa + d, wb + d, c, lr, lambda);
        }
      }
    }
  }
  return lossSum;
}

/**
 * The raw score t of one row (ffmTrainRows' forward part). The instance norm is computed here from the
 * row (serving scores fresh candidate rows once; caching per batch would cost more than it saves).
 */
export function ffmLogit(arrays: FfmArrays, config: FfmKernelConfig, batch: SparseBatch, row: number): number {
  const { bias, linear, weights: w } = arrays;
  const { k } = config;
  const stride = config.nFields * k;
  const { offsets, indices, fields, values } = batch;
  const start = offsets[row] as number;
  const end = offsets[row + 1] as number;
  const scale = config.normalize ? rowScale(batch, row) : 1;
  let t = config.linear ? (bias[0] as number) : 0;
  for (let a = start; a < end; a++) {
    const ja = indices[a] as number;
    const xa = (values[a] as number) * scale;
    if (config.linear) t += (linear[ja] as number) * (values[a] as number);
    const baseA = ja * stride;
    const fieldA = (fields[a] as number) * k;
    for (let b = a + 1; b < end; b++) {
      const wa = baseA + (fields[b] as number) * k;
      const wb = (indices[b] as number) * stride + fieldA;
      t += dot(w, wa, wb, k) * xa * (values[b] as number);
    }
  }
  return t;
}

/** <W[wa .. wa + k), W[wb .. wb + k)>, unrolled by four when k allows. */
function dot(w: Float32Array, wa: number, wb: number, k: number): number {
  let sum = 0;
  if (k % 4 === 0) {
    for (let d = 0; d < k; d += 4) {
      sum +=
        (w[wa + d] as number) * (w[wb + d] as number) +
        (w[wa + d + 1] as number) * (w[wb + d + 1] as number) +
        (w[wa + d + 2] as number) * (w[wb + d + 2] as number) +
        (w[wa + d + 3] as number) * (w[wb + d + 3] as number);
    }
    return sum;
  }
  for (let d = 0; d < k; d++) sum += (w[wa + d] as number) * (w[wb + d] as number);
  return sum;
}

/**
 * libffm's AdaGrad step on one coordinate of both vectors of a pair, from their old values:
 *   g_a = lambda W_a + c W_b,  G_a += g_a^2,  W_a -= eta g_a / sqrt(G_a)   (and b alike), c = kappa r x_a x_b.
 * The two divisions share one: eta / sqrt(G_a) = eta sqrt(G_b) / (sqrt(G_a) sqrt(G_b)) (about 10% faster
 * in a micro-benchmark of this loop; G >= 1 always, so the product neither underflows nor loses precision).
 */
function adagradPair(w: Float32Array, G: Float32Array, ia: number, ib: number, c: number, lr: number, lambda: number): void {
  const va = w[ia] as number;
  const vb = w[ib] as number;
  const ga = lambda * va + c * vb;
  const gb = lambda * vb + c * va;
  const sa = (G[ia] as number) + ga * ga;
  const sb = (G[ib] as number) + gb * gb;
  G[ia] = sa;
  G[ib] = sb;
  const qa = Math.sqrt(sa);
  const qb = Math.sqrt(sb);
  const rate = lr / (qa * qb);
  w[ia] = va - ga * qb * rate;
  w[ib] = vb - gb * qa * rate;
}
