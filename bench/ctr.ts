/**
 * CTR model speed on MovieLens-100k made into CTR samples (7 fields: user, item, age band, gender,
 * occupation, genres, release-year band; label rating >= 4): FFM training throughput per epoch at k = 4
 * and k = 8 on the training split repeated to 2 million rows, with the default row-wise AdaGrad
 * accumulators (rows ffm-k4, ffm-k8) and with libffm's per-weight ones (ffm-k4-coordinate,
 * ffm-k8-coordinate), and the latency of scoring 1,000 candidate items for one user with the trained
 * k = 4 model. Training runs as `fitCtrModel` does
 * (seeded shuffle); `samples_per_s` is the median epoch in wall time, `samples_per_cpu_s` the same in
 * process CPU time. Quality is printed next to speed: the test AUC and logloss of each trained model
 * (one epoch over 2 million rows is 25 passes over the split, so they overfit: the rows are a speed test).
 *
 * Peer: xLearn 0.4 (C++, SSE) measured on this machine on the same kind of data: FFM 1.36 M rows/s per
 * epoch at k = 4, 1.23 M at k = 8, one thread (xLearn is not callable from Node, so its figures are
 * quoted in docs/ctr-models.md, not re-measured here).
 *
 *   npm run -s bench -- ctr [--json] [--rows 2000000] [--epochs 3] [--data /work/shared/data/recsys/ml-100k]
 */

import { auc, logloss } from '../src/eval/index.js';
import {
  FieldAwareFactorizationMachine,
  fitCtrModel,
  loadMovieLensCtr,
  repeatRows,
  SparseBatchBuilder,
  type MovieLensCtr,
  type SparseBatch,
} from '../src/models/index.js';
import { measure, round, type Bench, type BenchRow, intArg, stringArg } from './harness.js';

const bench: Bench = async ({ args, log }) => {
  const rows = intArg(args, '--rows', 2_000_000);
  const epochs = intArg(args, '--epochs', 3);
  const dir = stringArg(args, '--data', '/work/shared/data/recsys/ml-100k');
  const data = await loadMovieLensCtr(dir, { split: 'random' });
  const train = repeatRows(data.train.batch, rows);
  log(`ML-100k random split: ${data.train.batch.size} training rows repeated to ${train.size}, ${train.offsets[train.size]} entries, ${data.featureMap.nFeatures} features`);

  const out: BenchRow[] = [];
  let ffm4: FieldAwareFactorizationMachine | undefined;
  // The default row-wise accumulators, then libffm's per-weight ones (rows ffm-k4-coordinate, ffm-k8-coordinate).
  for (const [k, adagrad] of [[4, 'row'], [8, 'row'], [4, 'coordinate'], [8, 'coordinate']] as const) {
    const model = new FieldAwareFactorizationMachine({ nFeatures: train.nFeatures, nFields: train.nFields, config: { k, learningRate: 0.05, lambda: 2e-5, adagrad } });
    const { perEpoch, medianPerSecond, medianPerCpuSecond } = trainEpochs(model, train, epochs, log);
    const p = model.predictBatch(data.test.batch);
    out.push({
      case: adagrad === 'row' ? `ffm-k${k}` : `ffm-k${k}-${adagrad}`,
      engine: 'quarry',
      samples_per_s: Math.round(medianPerSecond),
      samples_per_cpu_s: Math.round(medianPerCpuSecond),
      epoch_samples_per_s: perEpoch.map((x) => Math.round(x)).join(' '),
      test_auc: round(auc(p, data.test.batch.labels), 4),
      test_logloss: round(logloss(p, data.test.batch.labels), 4),
    });
    if (k === 4 && adagrad === 'row') ffm4 = model;
  }

  const candidates = candidateBatches(data, 1_000, 200);
  const scores = new Float32Array(1_000);
  const model = ffm4 as FieldAwareFactorizationMachine;
  const latency = await measure({ count: candidates.length, warmup: 50, run: (i) => model.predictBatch(candidates[i] as SparseBatch, scores) });
  out.push({ case: 'score-1000', engine: 'quarry', p50_ms: latency.p50_ms, p99_ms: latency.p99_ms, mean_ms: latency.mean_ms });
  return { bench: 'ctr', setup: { dataset: 'ml-100k', split: 'random', train_rows: train.size, epochs, features: train.nFeatures, fields: train.nFields }, rows: out };
};

export default bench;

/**
 * Trains `epochs` epochs as `fitCtrModel` does by default (seeded shuffle: one shuffled copy, then a
 * random block order per epoch). Returns rows/s per epoch in wall time and in this process's CPU time
 * (the machine is shared: CPU time shows the kernel's speed when other work competes for the cores).
 */
function trainEpochs(model: FieldAwareFactorizationMachine, train: SparseBatch, epochs: number, log: (text: string) => void) {
  const perEpoch: number[] = [];
  const perCpuSecond: number[] = [];
  let cpu = process.cpuUsage();
  fitCtrModel(model, train, {
    epochs,
    onEpoch: (e) => {
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      perEpoch.push(e.samplesPerSecond);
      perCpuSecond.push(train.size / ((used.user + used.system) / 1e6));
      log(`ffm k=${model.config.k} epoch ${e.epoch}: ${(e.samplesPerSecond / 1e6).toFixed(3)} M rows/s (${((perCpuSecond.at(-1) as number) / 1e6).toFixed(3)} M per CPU second)`);
    },
  });
  return { perEpoch, medianPerSecond: median(perEpoch), medianPerCpuSecond: median(perCpuSecond) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * `count` candidate sets of `size` items each: one test user's features with each of `size` items'
 * features, built as the serving path would before scoring (building is not timed).
 */
function candidateBatches(data: MovieLensCtr, size: number, count: number): SparseBatch[] {
  const { batch, users } = data.test;
  // Each test row's user part (fields 0, 2, 3, 4) and item part (fields 1, 5, 6), taken from the rows.
  const userParts = new Map<number, [number[], number[]]>();
  const itemParts: [number[], number[]][] = [];
  const seenItems = new Set<number>();
  for (let r = 0; r < batch.size; r++) {
    const userFields: number[] = [];
    const userIds: number[] = [];
    const itemFields: number[] = [];
    const itemIds: number[] = [];
    let item = -1;
    for (let p = batch.offsets[r] as number; p < (batch.offsets[r + 1] as number); p++) {
      const field = batch.fields[p] as number;
      const isUser = field === 0 || field === 2 || field === 3 || field === 4;
      (isUser ? userFields : itemFields).push(field);
      (isUser ? userIds : itemIds).push(batch.indices[p] as number);
      if (field === 1) item = batch.indices[p] as number;
    }
    userParts.set(users[r] as number, [userFields, userIds]);
    if (item >= 0 && !seenItems.has(item)) {
      seenItems.add(item);
      itemParts.push([itemFields, itemIds]);
    }
  }
  const userList = [...userParts.values()];
  const out: SparseBatch[] = [];
  for (let c = 0; c < count; c++) {
    const [uf, ui] = userList[c % userList.length] as [number[], number[]];
    const builder = new SparseBatchBuilder();
    for (let i = 0; i < size; i++) {
      const [itf, iti] = itemParts[(c * 7 + i) % itemParts.length] as [number[], number[]];
      const fields = [...uf, ...itf];
      builder.push({ label: 0, fields, indices: [...ui, ...iti], values: fields.map(() => 1) });
    }
    out.push(builder.build({ nFeatures: batch.nFeatures, nFields: batch.nFields }));
  }
  return out;
}

