/**
 * tensor/: matmul speed against TensorFlow.js (wasm and cpu backends) in the same run, packed vs
 * padded training of a transformer block on MovieLens-100k history lengths, checkpointing memory and
 * time, and the error of the fp8 matmul.
 *
 *   npm run -s bench -- tensor [--json] [--quick] [--batches 6]
 *
 * Rows: case matmul-64 .. matmul-512 and attention-64x50x64 (gflops from wall-clock medians;
 * engines quarry = wasm SIMD kernel, quarry-ts = the TypeScript fallback, tfjs-wasm, tfjs-cpu),
 * packing (tokens_per_s, padded and packed), checkpointing (peak_bytes, step_ms, plain and
 * checkpointed), fp8-random, fp8-outliers and fp8-trained (rel_error of e4m3 / e5m2 with
 * fine-grained scales, and e4m3 with one scale per tensor).
 *
 * The speed-up and time ratios of packing and checkpointing divide process CPU time, measured with
 * the two variants alternating: on a shared machine wall time also counts the waits for a core, and
 * CPU time of this single-threaded work is what an idle machine's wall time would be.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Rng } from '../src/core/rng.js';
import { decodeFp8, dequantizeBlocks, quantizeBlocks } from '../src/numeric/index.js';
import {
  AdamW, Embedding, Linear, MemoryAccountant, Tensor, TransformerBlock, activeGemmKernel, backward, checkpoint, concat, cuSeqlensFromLengths,
  fp8Matmul, keyMaskFromCuSeqlens, matmul, mean, mul, noGrad, packIds, randn, relativeError, relu, reshape, setGemmKernel, square, sub, sum,
  withAccountant,
} from '../src/tensor/index.js';
import type { SequenceLayout } from '../src/tensor/index.js';
import { round, type Bench, type BenchRow } from './harness.js';

const ML100K = '/work/shared/data/recsys/ml-100k/ml-100k.inter';
const MAX_HISTORY = 200;

/** GFLOP/s from wall time, and from CPU time (the steadier figure when other processes share the cores). */
const gflops = (flops: number, ms: { wall: number; cpu: number }): { gflops: number; gflops_cpu: number } => ({
  gflops: round(flops / ms.wall / 1e6, 2),
  gflops_cpu: round(flops / ms.cpu / 1e6, 2),
});

/** Milliseconds of CPU this process used (all its threads); with one busy thread, wall time less waiting for a core. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Wall and CPU milliseconds of one call. */
function timed(run: () => void): { wall: number; cpu: number } {
  const [w0, c0] = [performance.now(), cpuMs()];
  run();
  return { wall: performance.now() - w0, cpu: cpuMs() - c0 };
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;

/** Median wall and CPU milliseconds per call of `run`, over 5 timed batches after a warm-up. */
function timeMs(run: () => void, options: { minBatchMs: number; warmup?: number }): { wall: number; cpu: number } {
  for (let i = 0; i < (options.warmup ?? 3); i++) run();
  let reps = 1;
  for (let t0 = performance.now(); performance.now() - t0 < options.minBatchMs / 4; reps++) run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let b = 0; b < 5; b++) {
    const t = timed(() => {
      for (let i = 0; i < reps; i++) run();
    });
    wall.push(t.wall / reps);
    cpu.push(t.cpu / reps);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

async function useTfBackend(name: 'wasm' | 'cpu'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}

/** Matmul GFLOP/s of each engine at n x n x n. */
async function matmulRows(sizes: number[], minBatchMs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rng = new Rng('matmul');
  for (const n of sizes) {
    const a = randn([n, n], rng);
    const b = randn([n, n], rng);
    const flops = 2 * n * n * n;
    for (const kernel of ['auto', 'blocked'] as const) {
      setGemmKernel(kernel);
      const ms = timeMs(() => noGrad(() => matmul(a, b)), { minBatchMs });
      rows.push({ case: `matmul-${n}`, engine: kernel === 'auto' ? 'quarry' : 'quarry-ts', ...gflops(flops, ms) });
    }
    setGemmKernel('auto');
    for (const backend of ['wasm', 'cpu'] as const) {
      await useTfBackend(backend);
      const [ta, tb] = [tf.tensor2d(a.data, [n, n]), tf.tensor2d(b.data, [n, n])];
      // tidy must return nothing: given the dataSync array it would walk every element looking for tensors.
      const ms = timeMs(() => tf.tidy(() => void tf.matMul(ta, tb).dataSync()), { minBatchMs, warmup: backend === 'cpu' && n >= 512 ? 1 : 3 });
      tf.dispose([ta, tb]);
      rows.push({ case: `matmul-${n}`, engine: `tfjs-${backend}`, ...gflops(flops, ms) });
    }
  }
  return rows;
}

/** The two batched products of attention, Q Kᵀ [B, T, T] and P V [B, T, d], at B = 64, T = 50, d = 64. */
async function attentionRows(minBatchMs: number): Promise<BenchRow[]> {
  const [batch, t, d] = [64, 50, 64];
  const rng = new Rng('attention');
  const [q, k, v] = [randn([batch, t, d], rng), randn([batch, t, d], rng), randn([batch, t, d], rng)];
  const p = randn([batch, t, t], rng);
  const flops = 2 * (2 * batch * t * t * d);
  const rows: BenchRow[] = [];
  const ms = timeMs(() => noGrad(() => [matmul(q, k, { transB: true }), matmul(p, v)]), { minBatchMs });
  rows.push({ case: 'attention-64x50x64', engine: 'quarry', ...gflops(flops, ms) });
  for (const backend of ['wasm', 'cpu'] as const) {
    await useTfBackend(backend);
    const as3d = (x: Tensor): tf.Tensor3D => tf.tensor3d(x.data, x.shape as [number, number, number]);
    const [tq, tk, tv, tp] = [as3d(q), as3d(k), as3d(v), as3d(p)];
    const tms = timeMs(() => tf.tidy(() => void [tf.matMul(tq, tk, false, true).dataSync(), tf.matMul(tp, tv).dataSync()]), { minBatchMs });
    tf.dispose([tq, tk, tv, tp]);
    rows.push({ case: 'attention-64x50x64', engine: `tfjs-${backend}`, ...gflops(flops, tms) });
  }
  return rows;
}

/** Users' item sequences in time order, the most recent MAX_HISTORY kept; ids are dense from 1. */
function loadHistories(): { sequences: Int32Array[]; items: number } {
  const events = new Map<string, [number, string][]>();
  for (const line of readFileSync(ML100K, 'utf8').split('\n').slice(1)) {
    const [user, item, , time] = line.split('\t');
    if (user === undefined || item === undefined || time === undefined) continue;
    const list = events.get(user) ?? [];
    list.push([Number(time), item]);
    events.set(user, list);
  }
  const itemIds = new Map<string, number>();
  const sequences = [...events.values()].map((list) =>
    Int32Array.from(list.sort((x, y) => x[0] - y[0]).slice(-MAX_HISTORY), ([, item]) => {
      if (!itemIds.has(item)) itemIds.set(item, itemIds.size + 1);
      return itemIds.get(item) as number;
    }),
  );
  return { sequences, items: itemIds.size + 1 };
}

interface SeqModel {
  embed: Embedding;
  blocks: TransformerBlock[];
  opt: AdamW;
}

function seqModel(items: number, depth: number, seed: string): SeqModel {
  const rng = new Rng(seed);
  const embed = new Embedding(items, 64, { rng: rng.fork('embed'), std: 0.1 });
  const blocks = Array.from({ length: depth }, (_, i) => new TransformerBlock({ dim: 64, nHeads: 4, interDim: 128 }, rng.fork(`block${i}`)));
  const params = [...embed.namedParameters().map(([n, t]): [string, Tensor] => [`embed.${n}`, t]), ...blocks.flatMap((b, i) => b.namedParameters().map(([n, t]): [string, Tensor] => [`${i}.${n}`, t]))];
  return { embed, blocks, opt: new AdamW(params, { lr: 1e-3 }) };
}

/**
 * One training step: embed, blocks, mean square of the real tokens' outputs, AdamW. With
 * `useCheckpoint` every block but the last is checkpointed: the last one's activations are needed
 * as soon as backward starts, so recomputing them would only cost time (PyTorch's
 * checkpoint_sequential leaves its last segment alone for the same reason).
 */
function trainStep(model: SeqModel, batch: { ids: Int32Array; idsShape: number[]; layout: SequenceLayout; realMask: Tensor | null; realTokens: number }, useCheckpoint = false): void {
  let h = model.embed.forward(batch.ids, batch.idsShape);
  const last = model.blocks.length - 1;
  model.blocks.forEach((block, i) => {
    h = useCheckpoint && i < last ? checkpoint((x) => block.forward(x, batch.layout), h) : block.forward(h, batch.layout);
  });
  const sq = square(h);
  const loss = mul(sum(batch.realMask === null ? sq : mul(sq, batch.realMask)), 1 / batch.realTokens);
  model.opt.zeroGrad();
  backward(loss);
  model.opt.step();
}

function paddedBatch(seqs: Int32Array[]) {
  const maxLen = Math.max(...seqs.map((s) => s.length));
  const cu = cuSeqlensFromLengths(seqs.map((s) => s.length));
  const ids = new Int32Array(seqs.length * maxLen);
  seqs.forEach((s, b) => ids.set(s, b * maxLen));
  const keyMask = keyMaskFromCuSeqlens(cu, maxLen);
  const realMask = new Tensor(Float32Array.from(keyMask), [seqs.length, maxLen, 1]);
  const realTokens = cu[cu.length - 1] as number;
  return { ids, idsShape: [seqs.length, maxLen], layout: { kind: 'padded', keyMask } as SequenceLayout, realMask, realTokens, slots: seqs.length * maxLen };
}

function packedBatch(seqs: Int32Array[]) {
  const { ids, cuSeqlens } = packIds(seqs);
  return { ids, idsShape: [ids.length], layout: { kind: 'packed', cuSeqlens } as SequenceLayout, realMask: null, realTokens: ids.length };
}

function packingRows(batches: number, log: (s: string) => void): { rows: BenchRow[]; setup: Record<string, number> } {
  const { sequences, items } = loadHistories();
  const order = new Rng('packing').shuffle(sequences.map((_, i) => i));
  const batchSize = 32;
  const groups = Array.from({ length: batches }, (_, b) => order.slice(b * batchSize, (b + 1) * batchSize).map((i) => sequences[i] as Int32Array));
  const padded = groups.map(paddedBatch);
  const packed = groups.map(packedBatch);
  const realTokens = padded.reduce((s, b) => s + b.realTokens, 0);
  const slots = padded.reduce((s, b) => s + b.slots, 0);
  log(`packing: ${batches} batches of ${batchSize} ML-100k histories, ${realTokens} real tokens in ${slots} padded slots`);
  const models = { padded: seqModel(items, 1, 'packing'), packed: seqModel(items, 1, 'packing') };
  trainStep(models.padded, padded[0] as (typeof padded)[number]);
  trainStep(models.packed, packed[0] as (typeof packed)[number]);
  // The two layouts alternate batch by batch, so a change in machine load hits both alike.
  const spent = { padded: { wall: 0, cpu: 0 }, packed: { wall: 0, cpu: 0 } };
  for (let b = 0; b < batches; b++) {
    for (const mode of ['padded', 'packed'] as const) {
      const t = timed(() => trainStep(models[mode], (mode === 'padded' ? padded[b] : packed[b]) as Parameters<typeof trainStep>[1]));
      spent[mode].wall += t.wall;
      spent[mode].cpu += t.cpu;
    }
  }
  const rows: BenchRow[] = (['padded', 'packed'] as const).map((mode) => ({
    case: 'packing', engine: 'quarry', mode,
    tokens_per_s: round(realTokens / (spent[mode].wall / 1000), 0),
    tokens_per_cpu_s: round(realTokens / (spent[mode].cpu / 1000), 0),
    step_ms: round(spent[mode].wall / batches, 1),
  }));
  const speedup = spent.padded.cpu / spent.packed.cpu;
  const ratio = slots / realTokens;
  rows.push({ case: 'packing', engine: 'quarry', mode: 'speedup', padding_ratio: round(ratio, 3), speedup: round(speedup, 3), speedup_over_ratio: round(speedup / ratio, 3) });
  return { rows, setup: { ml100k_users: sequences.length, packing_batches: batches, packing_batch_size: batchSize, packing_real_tokens: realTokens } };
}

function checkpointRows(rounds: number): BenchRow[] {
  const { sequences, items } = loadHistories();
  // 16 histories cut to their last 64 items: a full [16, 64] batch, 8 blocks deep.
  const seqs = sequences.filter((s) => s.length >= 64).slice(0, 16).map((s) => s.slice(-64));
  const batch = paddedBatch(seqs);
  const modes = [false, true].map((useCheckpoint) => {
    const model = seqModel(items, 8, 'checkpointing');
    const counter = new MemoryAccountant();
    withAccountant(counter, () => trainStep(model, batch, useCheckpoint));
    return { useCheckpoint, model, peakBytes: counter.peakBytes };
  });
  // Alternate the two so a change in machine load hits both alike; report medians.
  const times = modes.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let r = 0; r < rounds; r++) {
    modes.forEach((mode, i) => {
      const t = timed(() => trainStep(mode.model, batch, mode.useCheckpoint));
      times[i]?.wall.push(t.wall);
      times[i]?.cpu.push(t.cpu);
    });
  }
  const rows: BenchRow[] = modes.map((m, i) => ({
    case: 'checkpointing', engine: 'quarry', mode: m.useCheckpoint ? 'checkpoint' : 'plain', blocks: 8, peak_bytes: m.peakBytes,
    step_ms: round(median(times[i]?.wall ?? []), 1), step_cpu_ms: round(median(times[i]?.cpu ?? []), 1),
  }));
  const [plain, ckpt] = modes as [(typeof modes)[number], (typeof modes)[number]];
  const cpuRatio = median(times[1]?.cpu ?? []) / median(times[0]?.cpu ?? []);
  rows.push({ case: 'checkpointing', engine: 'quarry', mode: 'ratio', memory_ratio: round(ckpt.peakBytes / plain.peakBytes, 3), time_ratio: round(cpuRatio, 3) });
  return rows;
}

/** fp8 error of x · w: fine-grained e4m3 and e5m2, and e4m3 with one scale for each whole tensor. */
function fp8Errors(x: Tensor, w: Tensor): Record<string, number> {
  const exact = noGrad(() => matmul(x, w)).data;
  const perTensor = (t: Tensor): Tensor => {
    const q = quantizeBlocks(t.data, t.size, 'e4m3');
    return new Tensor(dequantizeBlocks(q.codes, q.scales, t.size, 'e4m3'), t.shape);
  };
  return {
    rel_error_e4m3: round(relativeError(noGrad(() => fp8Matmul(x, w)).data, exact), 5),
    rel_error_e5m2: round(relativeError(noGrad(() => fp8Matmul(x, w, { format: 'e5m2' })).data, exact), 5),
    rel_error_e4m3_per_tensor: round(relativeError(noGrad(() => matmul(perTensor(x), perTensor(w))).data, exact), 5),
  };
}

/** Trains a rating regressor on ML-100k (user and item embeddings → 256 → 128 → 1) and returns its second layer with real inputs. */
function trainedLayer(steps: number): { x: Tensor; w: Tensor } {
  const lines = readFileSync(ML100K, 'utf8').split('\n').slice(1).filter((l) => l.length > 0).map((l) => l.split('\t').map(Number));
  const rng = new Rng('fp8-trained');
  const users = new Embedding(944, 32, { rng: rng.fork('u'), std: 0.1 });
  const itemsEmb = new Embedding(1683, 32, { rng: rng.fork('i'), std: 0.1 });
  const [l1, l2, l3] = [new Linear(64, 256, { rng: rng.fork('1') }), new Linear(256, 128, { rng: rng.fork('2') }), new Linear(128, 1, { rng: rng.fork('3') })];
  const params = [users, itemsEmb, l1, l2, l3].flatMap((m, i) => m.namedParameters().map(([n, t]): [string, Tensor] => [`${i}.${n}`, t]));
  const opt = new AdamW(params, { lr: 3e-3 });
  const hidden = (rows: number[][]): Tensor => {
    const u = users.forward(Int32Array.from(rows, (r) => r[0] as number));
    const i = itemsEmb.forward(Int32Array.from(rows, (r) => r[1] as number));
    return relu(l1.forward(concat([u, i], 1)));
  };
  for (let s = 0; s < steps; s++) {
    const rows = Array.from({ length: 512 }, () => lines[rng.int(lines.length)] as number[]);
    const pred = l3.forward(relu(l2.forward(hidden(rows))));
    const loss = mean(square(sub(reshape(pred, [-1]), new Tensor(Float32Array.from(rows, (r) => r[2] as number), [rows.length]))));
    opt.zeroGrad();
    backward(loss);
    opt.step();
  }
  const x = noGrad(() => hidden(lines.slice(0, 1024)));
  return { x, w: l2.weight };
}

const bench: Bench = async ({ args, log }) => {
  const quick = args.includes('--quick');
  const batchesAt = args.indexOf('--batches');
  const batches = batchesAt >= 0 ? Number(args[batchesAt + 1]) : quick ? 2 : 6;
  const minBatchMs = quick ? 100 : 400;
  const dist = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(`${dist}/`); // the .wasm files load from node_modules, never from the network
  log(`gemm kernel: ${activeGemmKernel()}`);
  const rows: BenchRow[] = [];
  log('matmul…');
  rows.push(...(await matmulRows([64, 128, 256, 512], minBatchMs)));
  rows.push(...(await attentionRows(minBatchMs)));
  log('packing…');
  const packing = packingRows(batches, log);
  rows.push(...packing.rows);
  log('checkpointing…');
  rows.push(...checkpointRows(quick ? 5 : 15));
  log('fp8…');
  const rng = new Rng('fp8-random');
  rows.push({ case: 'fp8-random', engine: 'quarry', shape: '1024x512x256', ...fp8Errors(randn([1024, 512], rng), randn([512, 256], rng, { std: 0.05 })) });
  // Outlier features (Dettmers et al. 2022, LLM.int8): 8 of 512 channels a thousand times larger.
  const outliers = randn([1024, 512], rng);
  for (let r = 0; r < 1024; r++) for (let c = 0; c < 8; c++) outliers.data[r * 512 + c * 64] = (outliers.data[r * 512 + c * 64] as number) * 1000;
  rows.push({ case: 'fp8-outliers', engine: 'quarry', shape: '1024x512x256', ...fp8Errors(outliers, randn([512, 256], rng, { std: 0.05 })) });
  const trained = trainedLayer(quick ? 50 : 300);
  rows.push({ case: 'fp8-trained', engine: 'quarry', shape: '1024x256x128', ...fp8Errors(trained.x, trained.w) });
  return {
    bench: 'tensor',
    setup: { gemm_kernel: activeGemmKernel(), tfjs: tf.version.tfjs, e4m3_max: decodeFp8(0x7e, 'e4m3'), ...packing.setup },
    rows,
  };
};

export default bench;
