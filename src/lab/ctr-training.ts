import { IdMap, InvalidArgumentError, Rng, type Item, type Seed } from '../core/index.js';
import { classificationMetrics, gauc, type ClassificationMetrics } from '../eval/classification.js';
import {
  cleaningReport,
  DEFAULT_FEATURE_SPEC,
  Featurizer,
  fieldRelevance,
  type CleaningEntry,
  type FeatureSpecInput,
  type FieldRelevance,
  type SparseRow,
} from '../features/index.js';
import {
  calibrateAll,
  createCtrModel,
  downsamplingCorrection,
  fitCtrModel,
  fitPlatt,
  SparseBatchBuilder,
  type Calibration,
  type CtrModelBundle,
  type CtrModelSpec,
  type FitReport,
  type SparseBatch,
} from '../models/index.js';
import type { RankingModel } from '../rank/index.js';
import { buildSamples, downsampleNegatives, splitByTime, type Sample, type SampleBuilderConfig } from '../samples/index.js';
import type { Store } from '../store/index.js';

export interface CtrTrainingConfig {
  /** The CTR model. Default FFM with its defaults (k 4, AdaGrad lr 0.2). */
  model: CtrModelSpec;
  /** The CVR model (purchase per click, trained on clicked samples), or 'none'. Default: the same as `model`. */
  cvrModel: CtrModelSpec | 'none';
  spec: FeatureSpecInput[];
  /** Train and validation shares of the samples, by time; the rest is the test set. Default [0.8, 0.1]. */
  split: [number, number];
  /** Share of negatives kept for training (all positives are); corrected for at prediction. Default 1. */
  negativeRate: number;
  /** Calibration fitted on the validation split after the down-sampling correction. Default 'platt'. */
  calibration: 'platt' | 'none';
  epochs: number;
  seed: Seed;
  samples: Partial<SampleBuilderConfig>;
  /** Validation rows used for permutation importance (0 skips it). Default 20,000. */
  importanceRows: number;
}

export const DEFAULT_CTR_TRAINING_CONFIG: CtrTrainingConfig = {
  model: { kind: 'ffm' },
  cvrModel: { kind: 'ffm' },
  spec: DEFAULT_FEATURE_SPEC,
  split: [0.8, 0.1],
  negativeRate: 1,
  calibration: 'platt',
  epochs: 8,
  seed: 'quarry',
  samples: {},
  importanceRows: 20_000,
};

export interface TestMetrics extends ClassificationMetrics {
  /** AUC within each user, weighted by impressions. */
  gaucUser: number;
  /** AUC within each query (searches only), weighted by impressions. */
  gaucQuery: number;
}

export interface ModelReport {
  label: 'click' | 'purchase';
  rows: { train: number; valid: number; test: number };
  fit: FitReport;
  test: TestMetrics;
}

export interface CtrTrainingReport {
  samples: { total: number; clicks: number; purchases: number; validFrom: number; testFrom: number };
  features: { fields: number; features: number };
  ctr: ModelReport;
  cvr?: ModelReport;
  cleaning: CleaningEntry[];
  relevance: FieldRelevance[];
  /** Drop in validation AUC of the CTR model when a field's values are shuffled across rows. */
  importance: { field: string; aucDrop: number }[];
}

export type TrainingPhase = 'samples' | 'features' | 'ctr' | 'cvr' | 'report';

export interface CtrTrainingOptions {
  store: Store;
  config?: Partial<CtrTrainingConfig>;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: TrainingPhase; done: number; total: number }) => void;
}

/**
 * The loop from the event log to a ranking model: samples (impressions joined to outcomes, features as
 * of the impression) → time split → featurizer fitted on train → CTR model (click label) and CVR model
 * (purchase label on clicked samples) with early stopping on validation → calibration → test metrics,
 * cleaning report, field relevance and permutation importance.
 * @throws InvalidArgumentError when the log has too few samples or labels; CancelledError when `signal` aborts.
 */
export async function trainRankingModel(options: CtrTrainingOptions): Promise<{ model: RankingModel; report: CtrTrainingReport }> {
  const config = { ...DEFAULT_CTR_TRAINING_CONFIG, ...options.config };
  const { store, signal, onProgress } = options;
  const items = new Map<string, Item>();
  for await (const item of store.scanItems()) items.set(item.id, item);
  const eventTotal = (await store.countEvents()).total;
  const { samples } = await buildSamples(store.readEvents(), (id) => items.get(id), {
    config: config.samples,
    ...(signal ? { signal } : {}),
    onProgress: (done) => onProgress?.({ phase: 'samples', done, total: eventTotal }),
  });
  const clicks = count(samples, 'click');
  if (samples.length < 100 || clicks < 10) {
    throw new InvalidArgumentError(`the event log gives ${samples.length} samples with ${clicks} clicks; training needs at least 100 samples and 10 clicks`);
  }
  const split = splitByTime(samples, config.split);
  onProgress?.({ phase: 'features', done: 0, total: 1 });
  const featurizer = Featurizer.fit(config.spec, split.train.map((s) => s.features));
  const rows = {
    train: split.train.map((s) => featurizer.transform(s.features)),
    valid: split.valid.map((s) => featurizer.transform(s.features)),
    test: split.test.map((s) => featurizer.transform(s.features)),
  };
  onProgress?.({ phase: 'features', done: 1, total: 1 });
  const dims = { nFeatures: featurizer.featureCount, nFields: featurizer.fieldCount };
  const train = (label: 'click' | 'purchase', spec: CtrModelSpec, only?: (s: Sample) => boolean) =>
    trainOne({ label, spec, split, rows, dims, config, only, ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) });
  const ctr = train('click', config.model);
  const cvr = config.cvrModel === 'none' || count(split.train, 'purchase') < 5 ? undefined : train('purchase', config.cvrModel, (s) => s.click === 1);

  onProgress?.({ phase: 'report', done: 0, total: 1 });
  const report: CtrTrainingReport = {
    samples: { total: samples.length, clicks, purchases: count(samples, 'purchase'), validFrom: split.validFrom, testFrom: split.testFrom },
    features: { fields: dims.nFields, features: dims.nFeatures },
    ctr: ctr.report,
    cleaning: cleaningReport(
      split.train.map((s) => s.features),
      featurizer.fields.filter((f) => f.type !== 'cross').map((f) => f.name),
    ),
    relevance: fieldRelevance(featurizer, rows.train, split.train.map((s) => s.click)),
    importance: permutationImportance(ctr.bundle, featurizer, rows.valid, split.valid.map((s) => s.click), config),
  };
  if (cvr !== undefined) report.cvr = cvr.report;
  onProgress?.({ phase: 'report', done: 1, total: 1 });
  const metadata: Record<string, string | number> = {
    samples: samples.length,
    testFrom: split.testFrom,
    ctrTestAuc: ctr.report.test.auc,
    ctrTestLogloss: ctr.report.test.logloss,
  };
  const model: RankingModel = { featurizer, ctr: ctr.bundle, metadata };
  if (cvr !== undefined) model.cvr = cvr.bundle;
  return { model, report };
}

interface TrainOneInput {
  label: 'click' | 'purchase';
  spec: CtrModelSpec;
  split: { train: Sample[]; valid: Sample[]; test: Sample[] };
  rows: { train: SparseRow[]; valid: SparseRow[]; test: SparseRow[] };
  dims: { nFeatures: number; nFields: number };
  config: CtrTrainingConfig;
  only: ((s: Sample) => boolean) | undefined;
  signal?: AbortSignal;
  onProgress?: CtrTrainingOptions['onProgress'];
}

function trainOne(input: TrainOneInput): { bundle: CtrModelBundle; report: ModelReport } {
  const { label, spec, split, rows, dims, config, only } = input;
  const phase = label === 'click' ? 'ctr' : 'cvr';
  const pick = (part: 'train' | 'valid' | 'test') => split[part].flatMap((s, i) => (only === undefined || only(s) ? [i] : []));
  const trainIndexes = downsampleNegatives(pick('train'), (i) => (split.train[i] as Sample)[label] === 1, label === 'click' ? config.negativeRate : 1, config.seed);
  const batches = {
    train: toBatch(rows.train, split.train, trainIndexes, label, dims),
    valid: toBatch(rows.valid, split.valid, pick('valid'), label, dims),
    test: toBatch(rows.test, split.test, pick('test'), label, dims),
  };
  if (batches.train.size === 0) throw new InvalidArgumentError(`no training samples for the ${label} model`);
  const model = createCtrModel(spec, { ...dims, seed: new Rng(config.seed).fork(phase).nextUint32() });
  const fit = fitCtrModel(model, batches.train, {
    epochs: config.epochs,
    seed: config.seed,
    ...(batches.valid.size > 0 ? { valid: batches.valid } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    onProgress: (p) => input.onProgress?.({ phase, done: (p.epoch - 1) * p.totalRows + p.rows, total: p.epochs * p.totalRows }),
  });
  const calibration: Calibration = [];
  if (label === 'click' && config.negativeRate < 1) calibration.push(downsamplingCorrection(config.negativeRate));
  if (config.calibration === 'platt' && batches.valid.size > 0) {
    const validP = calibrateAll(calibration, model.predictBatch(batches.valid));
    calibration.push(fitPlatt(validP, batches.valid.labels));
  }
  const testP = calibrateAll(calibration, model.predictBatch(batches.test));
  const testIndexes = pick('test');
  const bundle: CtrModelBundle = { model, calibration };
  return {
    bundle,
    report: {
      label,
      rows: { train: batches.train.size, valid: batches.valid.size, test: batches.test.size },
      fit,
      test: {
        ...classificationMetrics(testP, batches.test.labels),
        gaucUser: gauc(testP, batches.test.labels, groupIds(testIndexes.map((i) => (split.test[i] as Sample).userId))).gauc,
        gaucQuery: queryGauc(testP, batches.test.labels, testIndexes.map((i) => (split.test[i] as Sample).query)),
      },
    },
  };
}

function toBatch(rows: readonly SparseRow[], samples: readonly Sample[], indexes: readonly number[], label: 'click' | 'purchase', dims: { nFeatures: number; nFields: number }): SparseBatch {
  const builder = new SparseBatchBuilder();
  for (const i of indexes) {
    const row = rows[i] as SparseRow;
    builder.push({ label: (samples[i] as Sample)[label], fields: row.fields, indices: row.indices, values: row.values });
  }
  return builder.build(dims);
}

function groupIds(keys: readonly string[]): Int32Array {
  const ids = new IdMap();
  return Int32Array.from(keys, (key) => ids.intern(key));
}

function queryGauc(p: Float32Array, labels: Float32Array, queries: readonly (string | undefined)[]): number {
  const keep = queries.flatMap((q, i) => (q === undefined || q === '' ? [] : [i]));
  if (keep.length === 0) return Number.NaN;
  return gauc(
    Float32Array.from(keep, (i) => p[i] as number),
    Float32Array.from(keep, (i) => labels[i] as number),
    groupIds(keep.map((i) => queries[i] as string)),
  ).gauc;
}

/** Validation AUC lost when one field's features are shuffled across rows (Breiman 2001), per field. */
function permutationImportance(
  bundle: CtrModelBundle,
  featurizer: Featurizer,
  rows: readonly SparseRow[],
  labels: readonly number[],
  config: CtrTrainingConfig,
): { field: string; aucDrop: number }[] {
  const n = Math.min(rows.length, config.importanceRows);
  if (n === 0) return [];
  const dims = { nFeatures: featurizer.featureCount, nFields: featurizer.fieldCount };
  const sample = rows.slice(0, n);
  const y = Float32Array.from(labels.slice(0, n));
  const aucOf = (candidate: readonly SparseRow[]) => {
    const builder = new SparseBatchBuilder();
    for (const row of candidate) builder.push({ label: 0, ...row });
    return classificationMetrics(bundle.model.predictBatch(builder.build(dims)), y).auc;
  };
  const base = aucOf(sample);
  const rng = new Rng(config.seed).fork('permutation-importance');
  return featurizer.fields
    .map((field, f) => {
      const donors = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      const permuted = sample.map((row, i) => swapField(row, sample[donors[i] as number] as SparseRow, f));
      return { field: field.name, aucDrop: base - aucOf(permuted) };
    })
    .sort((a, b) => b.aucDrop - a.aucDrop);
}

/** `row` with field `f`'s entries taken from `donor`. */
function swapField(row: SparseRow, donor: SparseRow, f: number): SparseRow {
  const out: SparseRow = { fields: [], indices: [], values: [] };
  const copy = (from: SparseRow, keep: (field: number) => boolean) => {
    for (let i = 0; i < from.fields.length; i++) {
      if (!keep(from.fields[i] as number)) continue;
      out.fields.push(from.fields[i] as number);
      out.indices.push(from.indices[i] as number);
      out.values.push(from.values[i] as number);
    }
  };
  copy(row, (field) => field !== f);
  copy(donor, (field) => field === f);
  return out;
}

function count(samples: readonly Sample[], label: 'click' | 'purchase'): number {
  let n = 0;
  for (const s of samples) n += s[label];
  return n;
}

