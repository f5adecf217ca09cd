// Test helpers shared by the models' gradient tests: a central finite difference and a tolerance check
// that reports which coordinate disagreed.
import { expect } from 'vitest';

/** d f / d x_i by central differences, in float64: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps). */
export function finiteDifference(f: (x: Float64Array) => number, x: Float64Array, i: number, eps = 1e-6): number {
  const saved = x[i] as number;
  x[i] = saved + eps;
  const up = f(x);
  x[i] = saved - eps;
  const down = f(x);
  x[i] = saved;
  return (up - down) / (2 * eps);
}

/** Asserts |analytic - numeric| <= absolute + relative * |numeric| for each named coordinate. */
export function expectGradientsClose(
  pairs: { name: string; analytic: number; numeric: number }[],
  tolerance: { absolute: number; relative: number },
): void {
  expect(pairs.length).toBeGreaterThan(0);
  for (const { name, analytic, numeric } of pairs) {
    const bound = tolerance.absolute + tolerance.relative * Math.abs(numeric);
    expect(Math.abs(analytic - numeric), `${name}: analytic ${analytic}, finite difference ${numeric}`).toBeLessThanOrEqual(bound);
  }
}

/** -log sigmoid(t) for y = 1, -log(1 - sigmoid(t)) for y = 0, in float64. */
export function referenceLoss(t: number, y: number): number {
  return Math.max(t, 0) - t * y + Math.log1p(Math.exp(-Math.abs(t)));
}
