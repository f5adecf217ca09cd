import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { l2SquaredBounded, type Metric } from './distance.js';
import { HnswGraph } from './hnsw-graph.js';
import { clusteredCase, row } from './test-data.js';
import { VectorSlots } from './vector-slots.js';
import { WASM_PAGE, createL2Batch } from './wasm-l2.js';

describe('l2Batch (WebAssembly SIMD)', () => {
  it('returns the float of l2SquaredBounded, bit for bit, for any length, span, bound and row order', () => {
    const kernel = createL2Batch(2);
    expect(kernel).toBeDefined();
    const { memory, l2Batch } = kernel!;
    const cases = fc.record({
      dim: fc.integer({ min: 1, max: 150 }),
      rows: fc.integer({ min: 1, max: 12 }),
      seed: fc.integer(),
      zeros: fc.integer({ min: 0, max: 150 }),
      bound: fc.oneof(fc.constant(Infinity), fc.double({ min: 0, max: 500, noNaN: true })),
    });
    fc.assert(
      fc.property(cases, ({ dim, rows, seed, zeros, bound }) => {
        const rng = new Rng(seed);
        // Layout in bytes: query at 0, slots at 4096, out at 8192, rows from 16384.
        const floats = new Float32Array(memory.buffer);
        const rowsFloat = 4096;
        for (let i = 0; i < dim * (rows + 1); i++) floats[i < dim ? i : rowsFloat + i - dim] = rng.normal() * 3;
        // Trailing zeros in the query and the first row, as sparse rows have.
        for (let i = Math.max(0, dim - zeros); i < dim; i++) floats[i] = floats[rowsFloat + i] = 0;
        const slots = new Int32Array(memory.buffer, 4096, rows);
        for (let k = 0; k < rows; k++) slots[k] = (k * 5) % rows;
        for (const n of new Set([dim, dim - (dim & 7), Math.ceil(dim / 2)])) {
          if (n <= 0) continue;
          l2Batch(rowsFloat * 4, dim * 4, 0, 4096, rows, (n - (n & 7)) * 4, n * 4, bound, 8192, Math.min(256, dim * 4));
          const out = new Float64Array(memory.buffer, 8192, rows);
          for (let k = 0; k < rows; k++) {
            expect(Object.is(out[k], l2SquaredBounded(floats, rowsFloat + slots[k]! * dim, floats, 0, n, bound))).toBe(true);
          }
        }
      }),
      { numRuns: 300, seed: 11 },
    );
    expect(memory.buffer.byteLength).toBe(2 * WASM_PAGE);
  });
});

/** A graph over slots with (`headBytes` set) or without the rows in wasm memory; rows are added in order. */
function buildGraph(rows: Float32Array[], dim: number, metric: Metric, inWasm: boolean): { slots: VectorSlots; graph: HnswGraph } {
  const M = 6;
  // A small initial capacity, so the memory grows (and the graph's views of it are remade) on the way.
  const slots = new VectorSlots(dim, metric, { capacity: 4, reorderAfter: 64, ...(inWasm ? { headBytes: HnswGraph.headBytes(dim, M) } : {}) });
  const graph = new HnswGraph(slots, { M, efConstruction: 40, seed: 'wasm-equal' });
  const scratch = new Float32Array(dim);
  rows.forEach((vector, id) => {
    slots.append(id, slots.prepare(vector, scratch, 'vector'));
    slots.reorderIfDue();
    graph.insert(id);
  });
  return { slots, graph };
}

describe('HnswGraph with its rows in wasm memory', () => {
  it.each(['l2', 'cos'] as const)('builds the same graph and finds the same neighbours as with the JavaScript kernel (%s)', (metric) => {
    const dim = 300;
    const { base, queries } = clusteredCase({ count: 700, queries: 20, dim, seed: `wasm-graph/${metric}` });
    // Every third row ends in zeros (spans shorter than dim), so batches mix row spans.
    const rows = Array.from({ length: base.count }, (_, r) => {
      const v = row(base, r).slice();
      if (r % 3 === 0) v.fill(0, 40 + (r % 200));
      return v;
    });
    const inWasm = buildGraph(rows, dim, metric, true);
    const inJs = buildGraph(rows, dim, metric, false);
    expect(inWasm.slots.wasm).toBeDefined();
    expect(inJs.slots.wasm).toBeUndefined();
    expect(Array.from(inWasm.graph.links0)).toEqual(Array.from(inJs.graph.links0));
    expect(inWasm.graph.upper.map((rows) => Array.from(rows ?? []))).toEqual(inJs.graph.upper.map((rows) => Array.from(rows ?? [])));
    const scratch = new Float32Array(dim);
    for (let q = 0; q < queries.count; q++) {
      const found = [inWasm, inJs].map(({ slots, graph }) => {
        graph.search(slots.prepare(row(queries, q), scratch, 'query'), 32, undefined);
        const slotsOut = new Int32Array(graph.results.size);
        const dists = new Float64Array(graph.results.size);
        graph.results.drainAscending(slotsOut, dists);
        return [Array.from(slotsOut), Array.from(dists)];
      });
      expect(found[0]).toEqual(found[1]);
    }
  });
});
