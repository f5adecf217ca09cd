/**
 * Gradient checking: the autograd gradient of a function against central finite differences,
 * (f(x + ε) - f(x - ε)) / 2ε per input element. The objective is a fixed random projection of the
 * output, L = Σ wᵢ · outᵢ, summed in float64 so the only float32 noise is in the op's own values.
 *
 * Float32 sets the tolerances: an output value carries a relative error near 6e-8, so the difference
 * quotient carries about 6e-8 · Σ|wᵢ·outᵢ| / ε; ε = 1e-2 keeps that below 1e-3 for the small shapes the
 * tests use, while the truncation error (ε² · f''' / 6) stays small for smooth ops.
 */

import { Rng } from '../core/rng.js';
import { backward, noGrad } from './autograd.js';
import type { Tensor } from './tensor.js';

export interface GradCheckOptions {
  /** Finite-difference step. Default 1e-2. */
  eps?: number;
  /** Absolute tolerance. Default 5e-3. */
  atol?: number;
  /** Relative tolerance (to the larger magnitude of the two gradients). Default 2e-2. */
  rtol?: number;
  /** Seed of the projection weights. Default 'gradcheck'. */
  seed?: string | number;
}

export const DEFAULT_GRAD_CHECK = { eps: 1e-2, atol: 5e-3, rtol: 2e-2, seed: 'gradcheck' } as const;

export interface GradMismatch {
  input: number;
  index: number;
  analytic: number;
  numeric: number;
}

function objective(out: Tensor, weights: Float32Array): number {
  let s = 0;
  for (let i = 0; i < out.size; i++) s += (weights[i] as number) * (out.data[i] as number);
  return s;
}

/** The analytic gradient of one input as a dense buffer (sparse tables are densified). */
function denseGrad(t: Tensor): Float32Array {
  const g = t.grad?.slice() ?? new Float32Array(t.size);
  t.sparseGrad?.addTo(g);
  return g;
}

/**
 * Compares autograd with central differences for every element of every input that requires a
 * gradient; `fn` must be deterministic. Returns the mismatches beyond tolerance (empty when all agree).
 */
export function checkGradients(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradCheckOptions = {}): GradMismatch[] {
  const { eps, atol, rtol, seed } = { ...DEFAULT_GRAD_CHECK, ...options };
  for (const t of inputs) t.zeroGrad();
  const out = fn(...inputs);
  const rng = new Rng(seed);
  const weights = new Float32Array(out.size);
  for (let i = 0; i < weights.length; i++) weights[i] = rng.uniform(-1, 1);
  backward(out, { gradient: weights });
  const mismatches: GradMismatch[] = [];
  inputs.forEach((t, input) => {
    if (!t.requiresGrad) return;
    const analytic = denseGrad(t);
    for (let index = 0; index < t.size; index++) {
      const saved = t.data[index] as number;
      t.data[index] = saved + eps;
      const plus = noGrad(() => objective(fn(...inputs), weights));
      t.data[index] = saved - eps;
      const minus = noGrad(() => objective(fn(...inputs), weights));
      t.data[index] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic[index] as number;
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)))) {
        mismatches.push({ input, index, analytic: a, numeric });
      }
    }
  });
  return mismatches;
}
