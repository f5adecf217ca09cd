import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { gemm, gemmReference, setGemmKernel } from './gemm.js';
import type { GemmFunction, GemmShape } from './gemm.js';
import { gemmBlocked } from './gemm-blocked.js';
import { gemmWasm, wasmGemmAvailable } from './gemm-wasm.js';

function randomArray(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

/**
 * Runs `kernel` and the reference on the same random operands and compares within float32 rounding:
 * each entry's error is bounded relative to sum |a||b| over its dot product (k * eps * that sum).
 */
function agreesWithReference(kernel: GemmFunction, shape: GemmShape, seed: number): void {
  const rng = new Rng(seed);
  const { m, n, k } = shape;
  const a = randomArray(rng, m * k);
  const b = randomArray(rng, k * n);
  const start = randomArray(rng, m * n);
  const expected = start.slice();
  const actual = start.slice();
  gemmReference(a, b, expected, shape);
  kernel(a, b, actual, shape);
  const absA = a.map(Math.abs);
  const absB = b.map(Math.abs);
  const bound = new Float32Array(m * n);
  gemmReference(absA, absB, bound, { ...shape, accumulate: false });
  const violations: number[] = [];
  for (let i = 0; i < m * n; i++) {
    const tolerance = 1e-6 * (k + 2) * ((bound[i] as number) + Math.abs(start[i] as number)) + 1e-6;
    if (!(Math.abs((actual[i] as number) - (expected[i] as number)) <= tolerance)) violations.push(i);
  }
  expect(violations).toEqual([]);
}

const shapes = fc.record({
  m: fc.integer({ min: 1, max: 40 }),
  n: fc.integer({ min: 1, max: 40 }),
  k: fc.integer({ min: 1, max: 40 }),
  transA: fc.boolean(),
  transB: fc.boolean(),
  accumulate: fc.boolean(),
});

const kernels: [string, GemmFunction][] = [
  ['blocked (TypeScript)', gemmBlocked],
  ['wasm SIMD', gemmWasm],
  ['gemm (dispatch)', gemm],
];

describe.each(kernels)('%s kernel', (name, kernel) => {
  it.skipIf(name === 'wasm SIMD' && !wasmGemmAvailable())('equals the reference on random shapes and transposes', () => {
    fc.assert(fc.property(shapes, fc.nat(), (shape, seed) => agreesWithReference(kernel, shape, seed)), { numRuns: 40 });
  });

  it.skipIf(name === 'wasm SIMD' && !wasmGemmAvailable())('equals the reference across k and m blocks (k > 256, m > 256)', () => {
    agreesWithReference(kernel, { m: 261, n: 19, k: 300 }, 1);
    agreesWithReference(kernel, { m: 9, n: 33, k: 520, transA: true, transB: true, accumulate: true }, 2);
  });
});

describe('gemm', () => {
  afterEach(() => setGemmKernel('auto'));

  it('runs the pinned kernel: the reference gives the same answer through the dispatcher', () => {
    setGemmKernel('reference');
    agreesWithReference(gemm, { m: 5, n: 7, k: 3, transB: true }, 3);
  });

  it('handles empty dimensions: k = 0 gives zeros, m = 0 touches nothing', () => {
    const c = new Float32Array([1, 2]);
    gemm(new Float32Array(0), new Float32Array(0), c, { m: 1, n: 2, k: 0 });
    expect(Array.from(c)).toEqual([0, 0]);
    gemm(new Float32Array(0), new Float32Array(6), c, { m: 0, n: 2, k: 3 });
    expect(Array.from(c)).toEqual([0, 0]);
  });

  it('names the operand that is too short and the shape it needed', () => {
    expect(() => gemm(new Float32Array(5), new Float32Array(6), new Float32Array(4), { m: 2, n: 2, k: 3 })).toThrow(
      /a has 5 values, \[2, 3\] needs 6/,
    );
  });
});

describe('gemmWasm on a product larger than its memory cap', () => {
  it.skipIf(!wasmGemmAvailable())('runs in row blocks and equals the blocked kernel', () => {
    // 9000 x 1000 x 1: C alone is 9M floats, above the 8M-float cap, so the rows are split.
    const rng = new Rng(4);
    const [m, n, k] = [9000, 1000, 1];
    const a = randomArray(rng, m * k);
    const b = randomArray(rng, k * n);
    const viaWasm = new Float32Array(m * n);
    const viaBlocked = new Float32Array(m * n);
    gemmWasm(a, b, viaWasm, { m, n, k });
    gemmBlocked(a, b, viaBlocked, { m, n, k });
    let differing = 0;
    for (let i = 0; i < m * n; i++) if (viaWasm[i] !== viaBlocked[i]) differing++;
    expect(differing).toBe(0);
  });
});
