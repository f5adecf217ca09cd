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
 * One AdaGrad step per row `order[from..to)` (libffm's update, Juan et al. 2016 section 3.1); returns
 * the summed logloss of the rows, each before its own update. `scales` holds 1 / ||x||^2 per row, or is
 * undefined without instance normalisation.
 *
 * k = 4 and k = 8 go to functions written for that k (literal offsets, no loop over k), chosen once per
 * call: V8 compiles each on its own, which measured 7-9% (k=4) and 0-4% (k=8) more rows per CPU second
 * than one function branching on k (A/B in one process, ML-100k repeated to 2 M rows; same parameters
 * to the bit). Their arithmetic is the generic path's, in the same order. Variants that measured slower
 * are listed in docs/ctr-models.md (Speed).
 * The per-row parts (gathering the row, the linear terms) are shared functions called once a row; the
 * per-pair AdaGrad step is inlined four times per pair loop (eight times measured 14% slower at k = 8).
 */
export function ffmTrainRows(arrays: FfmArrays, config: FfmKernelConfig, scratch: FfmScratch, rows: TrainRows): number {
  if (config.k === 4) return trainRowsK4(arrays, config, scratch, rows);
  if (config.k === 8) return trainRowsK8(arrays, config, scratch, rows);
  return trainRowsAnyK(arrays, config, scratch, rows);
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
    let t = gatherRow(arrays, config, scratch, batch, start, n);
    const { bases, fieldOffsets, xs } = scratch;
    const scale = scales === undefined ? 1 : (scales[row] as number);
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

    // Loss and d loss / d t = sigmoid(t) - y, as logitLoss and sigmoid compute them, sharing one exp.
    const y = labels[row] as number;
    const e = Math.exp(-Math.abs(t));
    lossSum += Math.max(t, 0) - t * y + Math.log1p(e);
    const kappa = (t >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;

    linearStep(arrays, config, batch, start, n, xs, kappa);
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
    let t = gatherRow(arrays, config, scratch, batch, start, n);
    const { bases, fieldOffsets, xs } = scratch;
    const scale = scales === undefined ? 1 : (scales[row] as number);
    for (let a = 0; a < n; a++) {
      const baseA = bases[a] as number;
      const fieldA = fieldOffsets[a] as number;
      const xa = (xs[a] as number) * scale;
      for (let b = a + 1; b < n; b++) {
        const wa = baseA + (fieldOffsets[b] as number);
        const wb = (bases[b] as number) + fieldA;
        // Summed as dot() sums k = 8: the first four products, then the next four.
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

    const y = labels[row] as number;
    const e = Math.exp(-Math.abs(t));
    lossSum += Math.max(t, 0) - t * y + Math.log1p(e);
    const kappa = (t >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;

    linearStep(arrays, config, batch, start, n, xs, kappa);
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
    let t = gatherRow(arrays, config, scratch, batch, start, n);
    const { bases, fieldOffsets, xs } = scratch;
    const scale = scales === undefined ? 1 : (scales[row] as number);
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

    const y = labels[row] as number;
    const e = Math.exp(-Math.abs(t));
    lossSum += Math.max(t, 0) - t * y + Math.log1p(e);
    const kappa = (t >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;

    linearStep(arrays, config, batch, start, n, xs, kappa);
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
