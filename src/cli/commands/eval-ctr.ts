import { InvalidArgumentError as CommanderArgumentError, Option, type Command } from 'commander';
import {
  DEFAULT_FFM_CONFIG,
  DEFAULT_FIT_CONFIG,
  DEFAULT_FM_CONFIG,
  DEFAULT_FTRL_CONFIG,
  FeatureDictionary,
  FeatureHasher,
  formatRejections,
  loadCtrModel,
  loadMovieLensCtr,
  readSparseFile,
  runCtrExperiment,
  saveCtrModel,
  type CtrExperimentResult,
  type CtrModel,
  type CtrModelKind,
  type CtrModelSpec,
  type FeatureMap,
  type SparseBatch,
  type SparseFormat,
} from '../../models/index.js';
import { parse, UsageError } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress, Terminal } from '../terminal.js';

/** Epochs of fewer rows (about a second of training) get no progress bar, only their summary line. */
const PROGRESS_MIN_ROWS = 1_000_000;

export const CTR_MODELS = ['lr', 'fm', 'ffm'] as const satisfies readonly CtrModelKind[];

export interface EvalCtrFlags {
  train?: string;
  valid?: string;
  test?: string;
  movielens?: string;
  split: 'time' | 'random';
  model: CtrModelKind;
  format: SparseFormat | 'auto';
  hashBits?: number;
  k?: number;
  lr?: number;
  lambda?: number;
  l1?: number;
  adagrad?: 'coordinate' | 'row';
  initFrom?: string;
  epochs: number;
  patience: number;
  seed: string;
  calibrate?: 'platt' | 'isotonic';
  negativeRate?: number;
  save?: string;
  json?: boolean;
}

/** The data an experiment runs on, from files or from MovieLens. */
interface LoadedData {
  train: SparseBatch;
  valid?: SparseBatch;
  test: SparseBatch;
  featureMap: FeatureMap;
  testGroups?: Int32Array;
  /** What the report says about the data. */
  describe: Record<string, string | number>;
  rejectedLines: number;
}

/**
 * `quarry eval ctr`: trains one CTR model on libffm/libsvm files (or MovieLens-100k made into CTR
 * samples) and reports validation and test metrics. Returns the number of rejected input lines.
 */
export async function evalCtrCommand(terminal: Terminal, flags: EvalCtrFlags, signal: AbortSignal): Promise<number> {
  const spec = modelSpec(flags);
  const data = flags.movielens !== undefined ? await movieLensData(terminal, flags) : await fileData(terminal, flags, signal);
  if (data.valid === undefined) {
    if (flags.calibrate !== undefined) throw new UsageError(`--calibrate ${flags.calibrate} is fitted on the validation data: pass --valid`);
    terminal.info(`no --valid: early stopping is off, all ${flags.epochs} epochs are trained`);
  }
  const init = flags.initFrom === undefined ? undefined : await initialModel(flags.initFrom, data.featureMap);
  let bar: Progress | undefined;
  const start = performance.now();
  const result = runCtrExperiment({
    spec,
    ...(init ? { init } : {}),
    train: data.train,
    test: data.test,
    seed: flags.seed,
    fit: { epochs: flags.epochs, patience: flags.patience },
    ...(data.valid ? { valid: data.valid } : {}),
    ...(data.testGroups ? { testGroups: data.testGroups } : {}),
    ...(flags.negativeRate === undefined ? {} : { negativeRate: flags.negativeRate }),
    ...(flags.calibrate === undefined ? {} : { calibration: flags.calibrate }),
    signal,
    onProgress: ({ epoch, epochs, rows, totalRows }) => {
      if (totalRows <= PROGRESS_MIN_ROWS) return;
      (bar ??= terminal.progress(`epoch ${epoch}/${epochs}`, totalRows)).update(rows);
    },
    onEpoch: (e) => {
      bar?.stop();
      bar = undefined;
      const valid = e.validLogloss === undefined ? '' : `, valid logloss ${e.validLogloss.toFixed(4)}`;
      terminal.info(`epoch ${e.epoch}: train logloss ${e.trainLogloss.toFixed(4)}${valid} (${Math.round(e.samplesPerSecond)} rows/s)`);
    },
  });
  bar?.stop();
  const report = ctrReport(flags, data, result, (performance.now() - start) / 1000);
  if (flags.save !== undefined) {
    // NaN (an AUC with one class in the test data) has no JSON form: such a metric is left out.
    const metadata = Object.fromEntries(Object.entries({ test_logloss: report.test_logloss, test_auc: report.test_auc }).filter(([, v]) => Number.isFinite(v)));
    await saveCtrModel(flags.save, { model: result.model, featureMap: data.featureMap, calibration: result.calibration, metadata });
    terminal.info(`model written to ${flags.save}`);
  }
  terminal.out(flags.json === true ? JSON.stringify(report) : formatReport(report));
  return data.rejectedLines;
}

/**
 * The trained FM of `--init-from` (a file `--save` wrote), checked against this run: an FFM only, the
 * same features in the same order.
 */
async function initialModel(path: string, featureMap: FeatureMap): Promise<CtrModel> {
  const bundle = await loadCtrModel(path);
  if (bundle.model.kind !== 'fm') throw new UsageError(`--init-from ${path} holds a ${bundle.model.kind} model; an FFM starts from an FM`);
  const features = (map: FeatureMap | undefined) => JSON.stringify(map === undefined ? undefined : { ...map.toJSON(), frozen: undefined });
  if (features(bundle.featureMap) !== features(featureMap)) {
    throw new UsageError(`--init-from ${path} was trained on other features (${bundle.featureMap?.nFeatures ?? 'no'} features in its map, ${featureMap.nFeatures} here): train both on the same data`);
  }
  return bundle.model;
}

/** The model's hyperparameters from the flags; a flag that does not apply to the model is a usage error. */
function modelSpec(flags: EvalCtrFlags): CtrModelSpec {
  const set = <K extends string>(key: K, value: number | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, number>));
  if (flags.adagrad !== undefined && flags.model !== 'ffm') throw new UsageError('--adagrad applies to --model ffm only');
  if (flags.initFrom !== undefined && flags.model !== 'ffm') {
    throw new UsageError(`--init-from starts an FFM from a trained FM; it does not apply to --model ${flags.model}`);
  }
  if (flags.model === 'lr') {
    if (flags.k !== undefined) throw new UsageError('--k does not apply to --model lr (logistic regression has no latent factors)');
    return { kind: 'lr', config: { ...set('alpha', flags.lr), ...set('l2', flags.lambda), ...set('l1', flags.l1) } };
  }
  if (flags.l1 !== undefined) throw new UsageError(`--l1 applies to --model lr only (FTRL), not ${flags.model}`);
  const config = { ...set('k', flags.k), ...set('learningRate', flags.lr), ...set('lambda', flags.lambda) };
  if (flags.model === 'fm') return { kind: 'fm', config };
  return { kind: 'ffm', config: { ...config, ...(flags.adagrad === undefined ? {} : { adagrad: flags.adagrad }) } };
}

async function fileData(terminal: Terminal, flags: EvalCtrFlags, signal: AbortSignal): Promise<LoadedData> {
  if (flags.train === undefined || flags.test === undefined) throw new UsageError('pass --train and --test files, or --movielens <folder>');
  const featureMap: FeatureMap = flags.hashBits === undefined ? new FeatureDictionary() : new FeatureHasher({ bits: flags.hashBits });
  let rejectedLines = 0;
  const read = async (path: string) => {
    const result = await readSparseFile(path, { format: flags.format, featureMap, signal });
    for (const line of formatRejections(path, result)) terminal.info(line);
    rejectedLines += result.rejectedCount;
    return result;
  };
  const train = await read(flags.train);
  featureMap.freeze();
  const valid = flags.valid === undefined ? undefined : await read(flags.valid);
  const test = await read(flags.test);
  const describe = {
    source: 'files',
    format: train.format,
    features: featureMap.nFeatures,
    fields: featureMap.nFields,
    feature_map: flags.hashBits === undefined ? 'dictionary' : `hash ${flags.hashBits} bits`,
    unknown_tokens: featureMap.unknownTokens,
    rejected_lines: rejectedLines,
  };
  terminal.info(
    `${flags.train}: ${train.batch.size} rows (${train.format}), ${featureMap.nFeatures} features, ${featureMap.nFields} fields; ` +
      `valid ${valid?.batch.size ?? 'none'}, test ${test.batch.size} rows; ${featureMap.unknownTokens} entries with features unseen in training dropped`,
  );
  return { train: train.batch, ...(valid ? { valid: valid.batch } : {}), test: test.batch, featureMap, describe, rejectedLines };
}

async function movieLensData(terminal: Terminal, flags: EvalCtrFlags): Promise<LoadedData> {
  if (flags.train !== undefined || flags.valid !== undefined || flags.test !== undefined) throw new UsageError('--movielens builds its own splits: leave out --train, --valid and --test');
  if (flags.hashBits !== undefined) throw new UsageError('--hash-bits applies to --train/--test files; MovieLens uses a dictionary');
  const data = await loadMovieLensCtr(flags.movielens as string, { split: flags.split, seed: flags.seed });
  const describe = {
    source: 'movielens',
    folder: flags.movielens as string,
    split: flags.split,
    features: data.featureMap.nFeatures,
    fields: data.train.batch.nFields,
    unknown_tokens: data.featureMap.unknownTokens,
  };
  terminal.info(
    `${flags.movielens}: ${flags.split} split 80/10/10: ${data.train.batch.size} / ${data.valid.batch.size} / ${data.test.batch.size} ratings ` +
      `(label rating >= 4), ${data.featureMap.nFeatures} features from the training split`,
  );
  return { train: data.train.batch, valid: data.valid.batch, test: data.test.batch, featureMap: data.featureMap, testGroups: data.test.users, describe, rejectedLines: 0 };
}

type EvalCtrReport = ReturnType<typeof ctrReport>;

function ctrReport(flags: EvalCtrFlags, data: LoadedData, result: CtrExperimentResult, seconds: number) {
  const { test, valid, fit } = result;
  return {
    model: flags.model,
    config: result.model.header().config,
    seed: flags.seed,
    data: { ...data.describe, train_rows: result.trainRows, valid_rows: data.valid?.size ?? 0, test_rows: data.test.size },
    early_stopping: data.valid !== undefined,
    epochs: fit.epochs.map((e) => ({
      epoch: e.epoch,
      train_logloss: e.trainLogloss,
      ...(e.validLogloss === undefined ? {} : { valid_logloss: e.validLogloss }),
      samples_per_s: Math.round(e.samplesPerSecond),
    })),
    best_epoch: fit.bestEpoch,
    calibration: result.calibration,
    ...(valid ? { valid_logloss: valid.logloss, valid_auc: valid.auc } : {}),
    test_logloss: test.logloss,
    test_auc: test.auc,
    ...(test.gauc === undefined ? {} : { test_gauc_user: test.gauc }),
    test_normalized_entropy: test.normalizedEntropy,
    test_calibration_ratio: test.calibrationRatio,
    test_positives: test.positives,
    test_reliability: result.testReliability,
    seconds: Math.round(seconds * 100) / 100,
  };
}

function formatReport(report: EvalCtrReport): string {
  const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(4));
  const lines = [
    `${report.model} ${JSON.stringify(report.config)}, best epoch ${report.best_epoch} of ${report.epochs.length}, ${report.seconds} s`,
    `split  rows     logloss  AUC     ${report.test_gauc_user === undefined ? '' : 'GAUC    '}NE      pred/obs`,
  ];
  if (report.valid_logloss !== undefined) lines.push(`valid  ${String(report.data.valid_rows).padEnd(8)} ${f(report.valid_logloss)}   ${f(report.valid_auc)}`);
  const gaucCell = report.test_gauc_user === undefined ? '' : `${f(report.test_gauc_user)}  `;
  lines.push(
    `test   ${String(report.data.test_rows).padEnd(8)} ${f(report.test_logloss)}   ${f(report.test_auc)}  ${gaucCell}${f(report.test_normalized_entropy)}  ${f(report.test_calibration_ratio)}`,
  );
  return lines.join('\n');
}

/** A finite number > 0 (or >= 0 with `zero`), for commander. */
const parseNumber =
  (options: { zero: boolean; max?: number }) =>
  (value: string): number => {
    const n = Number(value);
    const max = options.max ?? Infinity;
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (n === 0 && !options.zero) || n > max) {
      throw new CommanderArgumentError(`must be a number ${options.zero ? '>= 0' : '> 0'}${max < Infinity ? ` and <= ${max}` : ''}, got "${value}"`);
    }
    return n;
  };

/** Registers `quarry eval ctr`. */
export function addEvalCtr(evalCommand: Command, context: CliContext): void {
  evalCommand
    .command('ctr')
    .description('train and evaluate a CTR model (lr: FTRL logistic regression, fm, ffm) on libffm/libsvm files or MovieLens-100k')
    .option('--train <file>', 'training samples (libffm or libsvm)')
    .option('--valid <file>', 'validation samples: early stopping and calibration (without it: every epoch is trained)')
    .option('--test <file>', 'test samples: the reported metrics')
    .option('--movielens <folder>', 'instead of files: RecBole ml-100k atomic files as CTR samples (label rating >= 4)')
    .addOption(new Option('--split <split>', 'MovieLens split: time (by timestamp) or random (seeded), 80/10/10').choices(['time', 'random']).default('time'))
    .addOption(new Option('--model <model>', 'lr | fm | ffm').choices(CTR_MODELS).makeOptionMandatory())
    .addOption(new Option('--format <format>', 'input format').choices(['auto', 'libffm', 'libsvm']).default('auto'))
    .option('--hash-bits <n>', 'hash features into 2^n ids instead of a dictionary fitted on the training file', parse.int(1, 30))
    .option('--k <n>', `latent dimension, fm/ffm (default fm ${DEFAULT_FM_CONFIG.k}, ffm ${DEFAULT_FFM_CONFIG.k})`, parse.int(1, 256))
    .option('--lr <x>', `learning rate: FTRL alpha for lr (${DEFAULT_FTRL_CONFIG.alpha}), AdaGrad eta for fm (${DEFAULT_FM_CONFIG.learningRate}) and ffm (${DEFAULT_FFM_CONFIG.learningRate})`, parseNumber({ zero: false }))
    .option('--lambda <x>', `L2: FTRL lambda2 for lr (${DEFAULT_FTRL_CONFIG.l2}), fm (${DEFAULT_FM_CONFIG.lambda}), ffm (${DEFAULT_FFM_CONFIG.lambda})`, parseNumber({ zero: true }))
    .option('--l1 <x>', `FTRL lambda1, lr only (${DEFAULT_FTRL_CONFIG.l1})`, parseNumber({ zero: true }))
    .addOption(
      new Option('--adagrad <kind>', `ffm only: AdaGrad accumulators per latent vector (row) or per weight, as libffm (coordinate); default ${DEFAULT_FFM_CONFIG.adagrad}`).choices([
        'row',
        'coordinate',
      ]),
    )
    .option('--init-from <file>', 'ffm only: start from the FM saved in this file (--save) instead of random vectors: every field gets its vector')
    .option('--epochs <n>', 'epochs at most', parse.int(1, 100_000), DEFAULT_FIT_CONFIG.epochs)
    .option('--patience <n>', 'epochs without a better validation logloss before stopping', parse.int(1, 100_000), DEFAULT_FIT_CONFIG.patience)
    .option('--seed <seed>', 'seed of the initialisation, the visiting order, the down-sampling and the MovieLens random split', String(DEFAULT_FIT_CONFIG.seed))
    .addOption(new Option('--calibrate <method>', 'fit a calibrator on the validation predictions').choices(['platt', 'isotonic']))
    .option('--negative-rate <w>', 'train on all positives and this share of the negatives, then correct the predictions', parseNumber({ zero: false, max: 1 }))
    .option('--save <file>', 'write the trained model (with its feature map and calibration) to this file')
    .option('--json', 'print the report as one JSON object on stdout')
    // Nested subcommands do not inherit the exit override runCli sets on top-level commands.
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.terminal.out(s), writeErr: (s) => context.terminal.info(s) })
    .action(async (flags: EvalCtrFlags) => {
      const rejected = await evalCtrCommand(context.terminal, flags, context.signal);
      if (rejected > 0) context.exitCode = 1;
    });
}
