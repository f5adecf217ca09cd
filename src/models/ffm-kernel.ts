/**
 * The FFM training and scoring loops as plain functions over flat typed arrays (no allocation per row,
 * no method calls per pair): what bench/ctr.ts measures (rows ffm-k4, ffm-k8, score-1000).
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
  /**
   * `coordinate`: libffm's AdaGrad, one accumulator per weight (weightsG [nFeatures, nFields, k]).
   * `row`: one accumulator per latent vector (weightsG [nFeatures, nFields]) that adds the mean squared
   * gradient of the vector's k coordinates (the row-wise sparse AdaGrad of FBGEMM / DLRM): two square
   * roots per pair instead of 2k, and 1/k of the accumulator memory.
   */
  adagrad: 'coordinate' | 'row';
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

type TrainRows = { batch: SparseBatch; order: Int32Array; from: number; to: number; scales: Float32Array | undefined };

/**
 * One AdaGrad step per row `order[from..to)` (libffm's update, Juan et al. 2016 section 3.1, or its
 * row-wise form, see `FfmKernelConfig.adagrad`); returns the summed logloss of the rows, each before its
 * own update. `scales` holds 1 / ||x||^2 per row, or is undefined without instance normalisation.
 *
 * k = 4 and k = 8 go to functions written for that k (literal offsets, no loop over k), chosen once per
 * call: V8 compiles each on its own, which measured 7-9% (k=4) and 0-4% (k=8) more rows per CPU second
 * than one function branching on k (A/B in one process, ML-100k repeated to 2 M rows; same parameters
 * to the bit). Their arithmetic is the generic path's, in the same order. Variants that measured slower
 * are listed in docs/ctr-models.md (Speed).
 * The per-row parts (gathering the row, the forward pass, the loss, the linear terms) are shared
 * functions called once a row. The per-pair step is written out in each function: per coordinate, the
 * AdaGrad step is inlined four times per pair loop (eight times measured 14% slower at k = 8); row-wise,
 * both vectors are loaded once into locals and written once.
 */
export function ffmTrainRows(arrays: FfmArrays, config: FfmKernelConfig, scratch: FfmScratch, rows: TrainRows): number {
  const rowWise = config.adagrad === 'row';
  if (config.k === 4) return rowWise ? rowWiseK4(arrays, config, scratch, rows) : trainRowsK4(arrays, config, scratch, rows);
  if (config.k === 8) return rowWise ? rowWiseK8(arrays, config, scratch, rows) : trainRowsK8(arrays, config, scratch, rows);
  return rowWise ? rowWiseAnyK(arrays, config, scratch, rows) : trainRowsAnyK(arrays, config, scratch, rows);
}

// Hot loops: longer than the usual function on purpose (one frame per row; bench/ctr.ts ffm-k4/k8).
function trainRowsK4(arrays: FfmArrays, config: FfmKernelConfig, scratch: FfmScratch, rows: TrainRows): number {
  const { weights: w, weightsG: G } = arrays;
  const { learningRate: lr, lambda } = config;
  const { batch, order, from, to, scales } = rows;
  const { offsets, labels } = batch;
  let lossSum = 0;
  for (let o = from; o < to; o++) {
    const row = order[o] as number;
    const start = offsets[row] as number;
    const n = (offsets[row + 1] as number) - start;
    const scale = scales === undefined ? 1 : (scales[row] as number);
    const t = gatherRow(arrays, config, scratch, batch, start, n) + pairSumK4(w, scratch, n, scale);
    const y = labels[row] as number;
    lossSum += rowLoss(t, y);
    const kappa = lossSlope(t, y);
    linearStep(arrays, config, batch, start, n, scratch.xs, kappa);
    const { bases, fieldOffsets, xs } = scratch;
    const kappaScale = kappa * scale;
    for (let a = 0; a < n; a++) {
      const baseA = bases[a] as number;
      const fieldA = fieldOffsets[a] as number;
      const ka = kappaScale * (xs[a] as number);
      for (let b = a + 1; b < n; b++) {
        const wa = baseA + (fieldOffsets[b] as number);
        const wb = (bases[b] as number) + fieldA;
        const c = ka * (xs[b] as number);
        adagradPair(w, G, wa, wb, c, lr, lambda);
        adagradPair(w, G, wa + 1, wb + 1, c, lr, lambda);
        adagradPair(w, G, wa + 2, wb + 2, c, lr, lambda);
        adagradPair(w, G, wa + 3, wb + 3, c, lr, lambda);
      }
    }
  }
  return lossSum;
}

/** trainRowsK4 for k = 8 (the update as two runs of four: eight inlined steps measured slower). */
function trainRowsK8(arrays: FfmArrays, config: FfmKernelConfig, scratch: FfmScratch, rows: TrainRows): number {
  const { weights: w, weightsG: G } = arrays;
  const { learningRate: lr, lambda } = config;
  const { batch, order, from, to, scales } = rows;
  const { offsets, labels } = batch;
  let lossSum = 0;
  for (let o = from; o < to; o++) {
    const row = order[o] as number;
    const start = offsets[row] as number;
    const n = (offsets[row + 1] as number) - start;
    const scale = scales === undefined ? 1 : (scales[row] as number);
    const t = gatherRow(arrays, config, scratch, batch, start, n) + pairSumK8(w, scratch, n, scale);
    const y = labels[row] as number;
    lossSum += rowLoss(t, y);
    const kappa = lossSlope(t, y);
    linearStep(arrays, config, batch, start, n, scratch.xs, kappa);
    const { bases, fieldOffsets, xs } = scratch;
    const kappaScale = kappa * scale;
    for (let a = 0; a < n; a++) {
      const baseA = bases[a] as number;
      const fieldA = fieldOffsets[a] as number;
      const ka = kappaScale * (xs[a] as number);
      for (let b = a + 1; b < n; b++) {
        const wa = baseA + (fieldOffsets[b] as number);
        const wb = (bases[b] as number) + fieldA;
        const c = ka * (xs[b] as number);
        for (let d = 0; d < 8; d += 4) {
          adagradPair(w, G, wa + d, wb + d, c, lr, lambda);
          adagradPair(w, G, wa + d + 1, wb + d + 1, c, lr, lambda);
          adagradPair(w, G, wa + d + 2, wb + d + 2, c, lr, lambda);
          adagradPair(w, G, wa + d + 3, wb + d + 3, c, lr, lambda);
        }
      }
    }
  }
  return lossSum;
}

/** Any k: the latent loops run over k (by fours when k is a multiple of 4). */
function trainRowsAnyK(arrays: FfmArrays, config: FfmKernelConfig, scratch: FfmScratch, rows: TrainRows): number {
  const { weights: w, weightsG: G } = arrays;
  const { k, learningRate: lr, lambda } = config;
  const k4 = k % 4 === 0;
  const { batch, order, from, to, scales } = rows;
  const { offsets, labels } = batch;
  let lossSum = 0;
  for (let o = from; o < to; o++) {
    const row = order[o] as number;
    const start = offsets[row] as number;
    const n = (offsets[row + 1] as number) - start;
    const scale = scales === undefined ? 1 : (scales[row] as number);
    const t = gatherRow(arrays, config, scratch, batch, start, n) + pairSumAnyK(w, scratch, n, scale, k);
    const y = labels[row] as number;
    lossSum += rowLoss(t, y);
    const kappa = lossSlope(t, y);
    linearStep(arrays, config, batch, start, n, scratch.xs, kappa);
    const { bases, fieldOffsets, xs } = scratch;
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
          // Unrolled by four: V8 does not unroll loops.
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
 * Row-wise AdaGrad, k = 4: per pair, the gradients of both vectors from their old values, one
 * accumulator step per vector with the mean of its squared gradients, then the update
 *   g_a = lambda W_a + c W_b,  G_a += |g_a|^2 / k,  W_a -= eta g_a / sqrt(G_a)   (and b alike).
 * Both vectors are loaded once into locals and stored once: 2 square roots and 2 divisions per pair
 * instead of 2k and k, and 2 accumulator loads instead of 2k.
 */
function rowWiseK4(arrays: FfmArrays, config: FfmKernelConfig, scratch: FfmScratch, rows: TrainRows): number {
  const { weights: w, weightsG: G } = arrays;
  const { learningRate: lr, lambda } = config;
  const { batch, order, from, to, scales } = rows;
  const { offsets, labels } = batch;
  let lossSum = 0;
  for (let o = from; o < to; o++) {
    const row = order[o] as number;
    const start = offsets[row] as number;
    const n = (offsets[row + 1] as number) - start;
    const scale = scales === undefined ? 1 : (scales[row] as number);
    const t = gatherRow(arrays, config, scratch, batch, start, n) + pairSumK4(w, scratch, n, scale);
    const y = labels[row] as number;
    lossSum += rowLoss(t, y);
    const kappa = lossSlope(t, y);
    linearStep(arrays, config, batch, start, n, scratch.xs, kappa);
    const { bases, fieldOffsets, xs } = scratch;
    const kappaScale = kappa * scale;
    for (let a = 0; a < n; a++) {
      const baseA = bases[a] as number;
      const fieldA = fieldOffsets[a] as number;
      const ka = kappaScale * (xs[a] as number);
      for (let b = a + 1; b < n; b++) {
        const wa = baseA + (fieldOffsets[b] as number);
        const wb = (bases[b] as number) + fieldA;
        const c = ka * (xs[b] as number);
        const a0 = w[wa] as number, a1 = w[wa + 1] as number, a2 = w[wa + 2] as number, a3 = w[wa + 3] as number;
        const b0 = w[wb] as number, b1 = w[wb + 1] as number, b2 = w[wb + 2] as number, b3 = w[wb + 3] as number;
        const ga0 = lambda * a0 + c * b0, ga1 = lambda * a1 + c * b1, ga2 = lambda * a2 + c * b2, ga3 = lambda * a3 + c * b3;
        const gb0 = lambda * b0 + c * a0, gb1 = lambda * b1 + c * a1, gb2 = lambda * b2 + c * a2, gb3 = lambda * b3 + c * a3;
        const ra = wa >> 2;
        const rb = wb >> 2;
        const accA = (G[ra] as number) + (ga0 * ga0 + ga1 * ga1 + ga2 * ga2 + ga3 * ga3) * 0.25;
        const accB = (G[rb] as number) + (gb0 * gb0 + gb1 * gb1 + gb2 * gb2 + gb3 * gb3) * 0.25;
        G[ra] = accA;
        G[rb] = accB;
        const etaA = lr / Math.sqrt(accA);
        const etaB = lr / Math.sqrt(accB);
        w[wa] = a0 - etaA * ga0;
        w[wa + 1] = a1 - etaA * ga1;
        w[wa + 2] = a2 - etaA * ga2;
        w[wa + 3] = a3 - etaA * ga3;
        w[wb] = b0 - etaB * gb0;
        w[wb + 1] = b1 - etaB * gb1;
        w[wb + 2] = b2 - etaB * gb2;
        w[wb + 3] = b3 - etaB * gb3;
      }
    }
  }
  return lossSum;
}

/** rowWiseK4 for k = 8. */
function rowWiseK8(arrays: FfmArrays, config: FfmKernelConfig, scratch: FfmScratch, rows: TrainRows): number {
  const { weights: w, weightsG: G } = arrays;
  const { learningRate: lr, lambda } = config;
  const { batch, order, from, to, scales } = rows;
  const { offsets, labels } = batch;
  let lossSum = 0;
  for (let o = from; o < to; o++) {
    const row = order[o] as number;
    const start = offsets[row] as number;
    const n = (offsets[row + 1] as number) - start;
    const scale = scales === undefined ? 1 : (scales[row] as number);
    const t = gatherRow(arrays, config, scratch, batch, start, n) + pairSumK8(w, scratch, n, scale);
    const y = labels[row] as number;
    lossSum += rowLoss(t, y);
    const kappa = lossSlope(t, y);
    linearStep(arrays, config, batch, start, n, scratch.xs, kappa);
    const { bases, fieldOffsets, xs } = scratch;
    const kappaScale = kappa * scale;
    for (let a = 0; a < n; a++) {
      const baseA = bases[a] as number;
      const fieldA = fieldOffsets[a] as number;
      const ka = kappaScale * (xs[a] as number);
      for (let b = a + 1; b < n; b++) {
        const wa = baseA + (fieldOffsets[b] as number);
        const wb = (bases[b] as number) + fieldA;
        const c = ka * (xs[b] as number);
        const a0 = w[wa] as number, a1 = w[wa + 1] as number, a2 = w[wa + 2] as number, a3 = w[wa + 3] as number;
        const a4 = w[wa + 4] as number, a5 = w[wa + 5] as number, a6 = w[wa + 6] as number, a7 = w[wa + 7] as number;
        const b0 = w[wb] as number, b1 = w[wb + 1] as number, b2 = w[wb + 2] as number, b3 = w[wb + 3] as number;
        const b4 = w[wb + 4] as number, b5 = w[wb + 5] as number, b6 = w[wb + 6] as number, b7 = w[wb + 7] as number;
        const ga0 = lambda * a0 + c * b0, ga1 = lambda * a1 + c * b1, ga2 = lambda * a2 + c * b2, ga3 = lambda * a3 + c * b3;
        const ga4 = lambda * a4 + c * b4, ga5 = lambda * a5 + c * b5, ga6 = lambda * a6 + c * b6, ga7 = lambda * a7 + c * b7;
        const gb0 = lambda * b0 + c * a0, gb1 = lambda * b1 + c * a1, gb2 = lambda * b2 + c * a2, gb3 = lambda * b3 + c * a3;
        const gb4 = lambda * b4 + c * a4, gb5 = lambda * b5 + c * a5, gb6 = lambda * b6 + c * a6, gb7 = lambda * b7 + c * a7;
        const sa = ga0 * ga0 + ga1 * ga1 + ga2 * ga2 + ga3 * ga3 + (ga4 * ga4 + ga5 * ga5 + ga6 * ga6 + ga7 * ga7);
        const sb = gb0 * gb0 + gb1 * gb1 + gb2 * gb2 + gb3 * gb3 + (gb4 * gb4 + gb5 * gb5 + gb6 * gb6 + gb7 * gb7);
        const ra = wa >> 3;
        const rb = wb >> 3;
        const accA = (G[ra] as number) + sa * 0.125;
        const accB = (G[rb] as number) + sb * 0.125;
        G[ra] = accA;
        G[rb] = accB;
        const etaA = lr / Math.sqrt(accA);
        const etaB = lr / Math.sqrt(accB);
        w[wa] = a0 - etaA * ga0;
        w[wa + 1] = a1 - etaA * ga1;
        w[wa + 2] = a2 - etaA * ga2;
        w[wa + 3] = a3 - etaA * ga3;
        w[wa + 4] = a4 - etaA * ga4;
        w[wa + 5] = a5 - etaA * ga5;
        w[wa + 6] = a6 - etaA * ga6;
        w[wa + 7] = a7 - etaA * ga7;
        w[wb] = b0 - etaB * gb0;
        w[wb + 1] = b1 - etaB * gb1;
        w[wb + 2] = b2 - etaB * gb2;
        w[wb + 3] = b3 - etaB * gb3;
        w[wb + 4] = b4 - etaB * gb4;
        w[wb + 5] = b5 - etaB * gb5;
        w[wb + 6] = b6 - etaB * gb6;
        w[wb + 7] = b7 - etaB * gb7;
      }
    }
  }
  return lossSum;
}

/**
 * Row-wise AdaGrad, any k (rowWiseK4's update with loops over k): the gradients are computed twice,
 * once for the squared norms and once for the update, rather than stored.
 */
function rowWiseAnyK(arrays: FfmArrays, config: FfmKernelConfig, scratch: FfmScratch, rows: TrainRows): number {
  const { weights: w, weightsG: G } = arrays;
  const { k, learningRate: lr, lambda } = config;
  const { batch, order, from, to, scales } = rows;
  const { offsets, labels } = batch;
  let lossSum = 0;
  for (let o = from; o < to; o++) {
    const row = order[o] as number;
    const start = offsets[row] as number;
    const n = (offsets[row + 1] as number) - start;
    const scale = scales === undefined ? 1 : (scales[row] as number);
    const t = gatherRow(arrays, config, scratch, batch, start, n) + pairSumAnyK(w, scratch, n, scale, k);
    const y = labels[row] as number;
    lossSum += rowLoss(t, y);
    const kappa = lossSlope(t, y);
    linearStep(arrays, config, batch, start, n, scratch.xs, kappa);
    const { bases, fieldOffsets, xs } = scratch;
    const kappaScale = kappa * scale;
    for (let a = 0; a < n; a++) {
      const baseA = bases[a] as number;
      const fieldA = fieldOffsets[a] as number;
      const ka = kappaScale * (xs[a] as number);
      for (let b = a + 1; b < n; b++) {
        const wa = baseA + (fieldOffsets[b] as number);
        const wb = (bases[b] as number) + fieldA;
        const c = ka * (xs[b] as number);
        let sa = 0;
        let sb = 0;
        for (let d = 0; d < k; d++) {
          const va = w[wa + d] as number;
          const vb = w[wb + d] as number;
          const ga = lambda * va + c * vb;
          const gb = lambda * vb + c * va;
          sa += ga * ga;
          sb += gb * gb;
        }
        // wa and wb are multiples of k: the divisions are exact.
        const ra = wa / k;
        const rb = wb / k;
        const accA = (G[ra] as number) + sa / k;
        const accB = (G[rb] as number) + sb / k;
        G[ra] = accA;
        G[rb] = accB;
        const etaA = lr / Math.sqrt(accA);
        const etaB = lr / Math.sqrt(accB);
        for (let d = 0; d < k; d++) {
          const va = w[wa + d] as number;
          const vb = w[wb + d] as number;
          w[wa + d] = va - etaA * (lambda * va + c * vb);
          w[wb + d] = vb - etaB * (lambda * vb + c * va);
        }
      }
    }
  }
  return lossSum;
}

/** sum_{a<b} <W[j_a, f_b], W[j_b, f_a]> x_a x_b scale over the gathered row, k = 4. */
function pairSumK4(w: Float32Array, scratch: FfmScratch, n: number, scale: number): number {
  const { bases, fieldOffsets, xs } = scratch;
  let t = 0;
  for (let a = 0; a < n; a++) {
    const baseA = bases[a] as number;
    const fieldA = fieldOffsets[a] as number;
    const xa = (xs[a] as number) * scale;
    for (let b = a + 1; b < n; b++) {
      const wa = baseA + (fieldOffsets[b] as number);
      const wb = (bases[b] as number) + fieldA;
      const dot =
        (w[wa] as number) * (w[wb] as number) +
        (w[wa + 1] as number) * (w[wb + 1] as number) +
        (w[wa + 2] as number) * (w[wb + 2] as number) +
        (w[wa + 3] as number) * (w[wb + 3] as number);
      t += dot * xa * (xs[b] as number);
    }
  }
  return t;
}

/** pairSumK4 for k = 8, summed as dot() sums it: the first four products, then the next four. */
function pairSumK8(w: Float32Array, scratch: FfmScratch, n: number, scale: number): number {
  const { bases, fieldOffsets, xs } = scratch;
  let t = 0;
  for (let a = 0; a < n; a++) {
    const baseA = bases[a] as number;
    const fieldA = fieldOffsets[a] as number;
    const xa = (xs[a] as number) * scale;
    for (let b = a + 1; b < n; b++) {
      const wa = baseA + (fieldOffsets[b] as number);
      const wb = (bases[b] as number) + fieldA;
      const dot =
        (w[wa] as number) * (w[wb] as number) +
        (w[wa + 1] as number) * (w[wb + 1] as number) +
        (w[wa + 2] as number) * (w[wb + 2] as number) +
        (w[wa + 3] as number) * (w[wb + 3] as number) +
        ((w[wa + 4] as number) * (w[wb + 4] as number) +
          (w[wa + 5] as number) * (w[wb + 5] as number) +
          (w[wa + 6] as number) * (w[wb + 6] as number) +
          (w[wa + 7] as number) * (w[wb + 7] as number));
      t += dot * xa * (xs[b] as number);
    }
  }
  return t;
}

/** pairSumK4 for any k. */
function pairSumAnyK(w: Float32Array, scratch: FfmScratch, n: number, scale: number, k: number): number {
  const { bases, fieldOffsets, xs } = scratch;
  let t = 0;
  for (let a = 0; a < n; a++) {
    const baseA = bases[a] as number;
    const fieldA = fieldOffsets[a] as number;
    const xa = (xs[a] as number) * scale;
    for (let b = a + 1; b < n; b++) {
      t += dot(w, baseA + (fieldOffsets[b] as number), (bases[b] as number) + fieldA, k) * xa * (xs[b] as number);
    }
  }
  return t;
}

/** The logloss of raw score t for label y, as logitLoss computes it. */
function rowLoss(t: number, y: number): number {
  return Math.max(t, 0) - t * y + Math.log1p(Math.exp(-Math.abs(t)));
}

/** d loss / d t = sigmoid(t) - y, as sigmoid computes it. */
function lossSlope(t: number, y: number): number {
  const e = Math.exp(-Math.abs(t));
  return (t >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;
}

/**
 * Fills the scratch with the row's W offsets (feature * nFields * k), field * k and values, and returns
 * the bias plus the linear terms (0 without them): the start of the forward pass.
 */
function gatherRow(arrays: FfmArrays, config: FfmKernelConfig, scratch: FfmScratch, batch: SparseBatch, start: number, n: number): number {
  scratch.ensure(n);
  const { bases, fieldOffsets, xs } = scratch;
  const { indices, fields, values } = batch;
  const { linear } = arrays;
  const { k, linear: useLinear } = config;
  const stride = config.nFields * k;
  let t = useLinear ? (arrays.bias[0] as number) : 0;
  for (let a = 0; a < n; a++) {
    const j = indices[start + a] as number;
    const x = values[start + a] as number;
    bases[a] = j * stride;
    fieldOffsets[a] = (fields[start + a] as number) * k;
    xs[a] = x;
    if (useLinear) t += (linear[j] as number) * x;
  }
  return t;
}

/** AdaGrad on the bias and the row's linear weights, given d loss / d t (nothing without linear terms). */
function linearStep(arrays: FfmArrays, config: FfmKernelConfig, batch: SparseBatch, start: number, n: number, xs: Float64Array, kappa: number): void {
  if (!config.linear) return;
  const { bias, biasG, linear, linearG } = arrays;
  const { learningRate: lr, lambda } = config;
  const { indices } = batch;
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
