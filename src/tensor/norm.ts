/**
 * Normalisation over the last axis (x [..., d], weight and bias [d]).
 *
 *   layerNorm  y = (x - μ) · rstd · w + b,  rstd = 1/√(var + eps)   (Ba et al. 2016; eps 1e-5)
 *   rmsNorm    y = x · r · w,  r = 1/√(mean(x²) + eps)             (Zhang & Sennrich 2019; eps 1e-6 as DeepSeek-V3)
 *
 * Gradients, with x̂ = (x - μ)·rstd and ĝ = g ⊙ w, per row:
 *   layerNorm  dx = rstd · (ĝ - mean(ĝ) - x̂ · mean(ĝ ⊙ x̂)),  dw = Σ g ⊙ x̂,  db = Σ g
 *   rmsNorm    dx = r · ĝ - x · r³ · mean(ĝ ⊙ x),            dw = Σ g ⊙ x · r
 * Each saves one statistic per row (rstd or r) besides its input.
 */

import { InvalidArgumentError } from '../core/errors.js';
import { accumulateFreshGrad, gradOf, record } from './autograd.js';
import { formatShape } from './shape.js';
import { Tensor } from './tensor.js';

export const DEFAULT_NORM = { layerNormEps: 1e-5, rmsNormEps: 1e-6 } as const;

/** The gain (or shift) per column: the parameter's values, or `fill` when there is none (keeps the loops branch-free). */
const columns = (p: Tensor | undefined, d: number, fill: number): Float32Array => p?.data ?? new Float32Array(d).fill(fill);

function checkAffine(x: Tensor, p: Tensor | undefined, op: string, what: string): void {
  const d = x.shape[x.rank - 1];
  if (p !== undefined && (p.rank !== 1 || p.shape[0] !== d)) {
    throw new InvalidArgumentError(`${op}: ${what} shape ${formatShape(p.shape)} does not match the last axis of x ${formatShape(x.shape)}`);
  }
}

/**
 * Layer normalisation over the last axis, optionally scaled by `weight` and shifted by `bias`.
 * @throws InvalidArgumentError naming both shapes when weight or bias is not [d].
 */
export function layerNorm(x: Tensor, weight?: Tensor, bias?: Tensor, eps: number = DEFAULT_NORM.layerNormEps): Tensor {
  checkAffine(x, weight, 'layerNorm', 'weight');
  checkAffine(x, bias, 'layerNorm', 'bias');
  const d = x.shape[x.rank - 1] ?? 1;
  const rows = x.size / Math.max(1, d);
  const [w, b] = [columns(weight, d, 1), columns(bias, d, 0)];
  const xhat = new Float32Array(x.size);
  const rstd = new Float32Array(rows);
  const y = new Float32Array(x.size);
  for (let r = 0; r < rows; r++) {
    const base = r * d;
    let mu = 0;
    for (let j = 0; j < d; j++) mu += x.data[base + j] as number;
    mu /= d;
    let v = 0;
    for (let j = 0; j < d; j++) v += ((x.data[base + j] as number) - mu) ** 2;
    const s = 1 / Math.sqrt(v / d + eps);
    rstd[r] = s;
    for (let j = 0; j < d; j++) {
      const h = ((x.data[base + j] as number) - mu) * s;
      xhat[base + j] = h;
      y[base + j] = h * (w[j] as number) + (b[j] as number);
    }
  }
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record(new Tensor(y, x.shape), 'layerNorm', inputs, (g) => {
    const gx = new Float32Array(x.size);
    const gw = weight?.requiresGrad ? gradOf(weight) : null;
    const gb = bias?.requiresGrad ? gradOf(bias) : null;
    for (let r = 0; r < rows; r++) {
      const base = r * d;
      let meanG = 0;
      let meanGX = 0;
      for (let j = 0; j < d; j++) {
        const gh = (g[base + j] as number) * (w[j] as number);
        meanG += gh;
        meanGX += gh * (xhat[base + j] as number);
        if (gw !== null) gw[j] = (gw[j] as number) + (g[base + j] as number) * (xhat[base + j] as number);
        if (gb !== null) gb[j] = (gb[j] as number) + (g[base + j] as number);
      }
      meanG /= d;
      meanGX /= d;
      const s = rstd[r] as number;
      for (let j = 0; j < d; j++) {
        const gh = (g[base + j] as number) * (w[j] as number);
        gx[base + j] = s * (gh - meanG - (xhat[base + j] as number) * meanGX);
      }
    }
    accumulateFreshGrad(x, gx);
  }, xhat.byteLength + rstd.byteLength);
}

/**
 * RMS normalisation over the last axis, scaled by `weight` when given (DeepSeek-V3's RMSNorm).
 * @throws InvalidArgumentError naming both shapes when weight is not [d].
 */
export function rmsNorm(x: Tensor, weight?: Tensor, eps: number = DEFAULT_NORM.rmsNormEps): Tensor {
  checkAffine(x, weight, 'rmsNorm', 'weight');
  const d = x.shape[x.rank - 1] ?? 1;
  const rows = x.size / Math.max(1, d);
  const w = columns(weight, d, 1);
  const inv = new Float32Array(rows);
  const y = new Float32Array(x.size);
  for (let r = 0; r < rows; r++) {
    const base = r * d;
    let ms = 0;
    for (let j = 0; j < d; j++) ms += (x.data[base + j] as number) ** 2;
    const s = 1 / Math.sqrt(ms / d + eps);
    inv[r] = s;
    for (let j = 0; j < d; j++) y[base + j] = (x.data[base + j] as number) * s * (w[j] as number);
  }
  const inputs = weight ? [x, weight] : [x];
  return record(new Tensor(y, x.shape), 'rmsNorm', inputs, (g) => {
    const gx = new Float32Array(x.size);
    const gw = weight?.requiresGrad ? gradOf(weight) : null;
    for (let r = 0; r < rows; r++) {
      const base = r * d;
      const s = inv[r] as number;
      let dot = 0;
      for (let j = 0; j < d; j++) {
        const xj = x.data[base + j] as number;
        dot += (g[base + j] as number) * (w[j] as number) * xj;
        if (gw !== null) gw[j] = (gw[j] as number) + (g[base + j] as number) * xj * s;
      }
      const c = (s * s * s * dot) / d;
      for (let j = 0; j < d; j++) {
        gx[base + j] = s * (g[base + j] as number) * (w[j] as number) - (x.data[base + j] as number) * c;
      }
    }
    accumulateFreshGrad(x, gx);
  }, inv.byteLength);
}
