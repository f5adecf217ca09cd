import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { decodeFp8 } from '../numeric/index.js';
import { fakeQuantizeBlocks, fakeQuantizeTiles, fp8Matmul, relativeError } from './fp8-matmul.js';
import { matmul } from './matmul.js';
import { backward } from './autograd.js';
import { mul } from './elementwise.js';
import { sum } from './reduce.js';
import { param } from './test-support.js';
import { Tensor, randn } from './tensor.js';

describe('fp8 matmul', () => {
  it('stays within a few percent of float32 on random Gaussian operands (e4m3 has 3 mantissa bits)', () => {
    const rng = new Rng(1);
    const x = randn([64, 256], rng);
    const w = randn([256, 96], rng, { std: 0.05 });
    const exact = matmul(x, w).data;
    // Each operand's relative rounding error is at most 2^-4 (about 2.3% rms for uniform mantissas);
    // the two add in quadrature and average over k in the dot products.
    const e4m3 = relativeError(fp8Matmul(x, w).data, exact);
    const e5m2 = relativeError(fp8Matmul(x, w, { format: 'e5m2' }).data, exact);
    expect(e4m3).toBeGreaterThan(0.005);
    expect(e4m3).toBeLessThan(0.05);
    expect(e5m2).toBeGreaterThan(e4m3);
  });

  it('confines an outlier to its own tile: the other tiles of the row keep their precision', () => {
    const row = new Float32Array(256).map((_, i) => 0.01 * ((i % 7) - 3));
    row[3] = 1000;
    const { values, scales } = fakeQuantizeTiles(row, 1, 256, { tile: 128, format: 'e4m3' });
    expect(scales[0]).toBeCloseTo(1000 / 448, 4);
    expect(scales[1]).toBeCloseTo(0.03 / 448, 8);
    expect(relativeError(values.subarray(128), row.subarray(128))).toBeLessThan(0.04);
    // Per-tensor scaling would flush the small values in the first tile to (nearly) nothing.
    expect(values[1]).not.toBe(row[1]);
  });

  it('keeps one scale per 128 x 128 weight block and maps each block maximum to 448', () => {
    const w = new Float32Array(200 * 130).map((_, i) => Math.sin(i));
    const { values, scales } = fakeQuantizeBlocks(w, 200, 130, { block: 128, format: 'e4m3' });
    expect(scales.length).toBe(4);
    let blockMax = 0;
    for (let r = 0; r < 128; r++) for (let c = 0; c < 128; c++) blockMax = Math.max(blockMax, Math.abs(w[r * 130 + c] as number));
    expect((scales[0] as number) * decodeFp8(0x7e, 'e4m3')).toBeCloseTo(blockMax, 5);
    expect(relativeError(values, w)).toBeLessThan(0.04);
  });

  it('backpropagates straight through the quantiser: the gradients of a float32 matmul of the dequantised operands', () => {
    const x = param([3, 130], 1);
    const w = param([130, 5], 2);
    backward(sum(mul(fp8Matmul(x, w), 2)));
    const xq = new Tensor(fakeQuantizeTiles(x.data, 3, 130, { tile: 128, format: 'e4m3' }).values, [3, 130], { requiresGrad: true });
    const wq = new Tensor(fakeQuantizeBlocks(w.data, 130, 5, { block: 128, format: 'e4m3' }).values, [130, 5], { requiresGrad: true });
    backward(sum(mul(matmul(xq, wq), 2)));
    expect(relativeError(x.grad ?? new Float32Array(0), xq.grad ?? new Float32Array(0))).toBeLessThan(1e-6);
    expect(relativeError(w.grad ?? new Float32Array(0), wq.grad ?? new Float32Array(0))).toBeLessThan(1e-6);
  });

  it('names both shapes when they do not multiply', () => {
    expect(() => fp8Matmul(param([2, 3], 1), param([4, 2], 2))).toThrow(/shapes \[2, 3\] and \[4, 2\] do not multiply/);
  });
});
