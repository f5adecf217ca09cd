import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import { DEFAULT_BPR_OPTIONS, trainBpr, type BprOptions } from '../../embed/index.js';
import { DEFAULT_RECSYS_SPLIT, popularityScorer, randomSplitByUser, readAtomicInteractions, RecsysEvaluator, type RecsysReport } from '../../eval/index.js';
import { parse } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress, Terminal } from '../terminal.js';

export const RECOMMEND_MODELS = ['bpr', 'popular'] as const;
export type RecommendModel = (typeof RECOMMEND_MODELS)[number];

export interface EvalRecommendRun {
  /** A RecBole atomic dataset folder (or its `.inter` file). */
  data: string;
  model: RecommendModel;
  /** Split seed and training seed. */
  seed: string;
  k: number;
  bpr: Partial<BprOptions>;
  json: boolean;
  signal: AbortSignal;
}

/** One model's line of the report. */
export interface ModelResult {
  model: RecommendModel;
  valid: RecsysReport;
  test: RecsysReport;
  trainSeconds: number;
  /** BPR only: epochs run and the one kept (best validation NDCG@k). */
  epochs?: number;
  bestEpoch?: number;
}

export interface EvalRecommendReport {
  data: string;
  interactions: number;
  users: number;
  items: number;
  split: { ratios: readonly number[]; seed: string; train: number; valid: number; test: number };
  k: number;
  bpr?: BprOptions;
  results: ModelResult[];
  totalSeconds: number;
}

/**
 * `quarry eval recommend`: RecBole's protocol on a RecBole atomic dataset. Per-user random 80/10/10
 * split, full ranking over all items without the user's known items, top k. The most-popular baseline
 * is always measured in the same run; `--model bpr` adds BPR, early-stopped on validation NDCG@k.
 */
export async function evalRecommendCommand(terminal: Terminal, run: EvalRecommendRun): Promise<EvalRecommendReport> {
  const start = performance.now();
  const data = readAtomicInteractions(run.data);
  const split = randomSplitByUser(data.users, data.nUsers, { seed: run.seed });
  const evaluator = new RecsysEvaluator(data, split, run.k);
  terminal.info(
    `${run.data}: ${data.users.length} interactions, ${data.nUsers} users, ${data.nItems} items; ` +
      `per-user random split 80/10/10 (seed ${run.seed}): ${split.train.length} / ${split.valid.length} / ${split.test.length}`,
  );
  const results = [measurePopular(evaluator)];
  let bpr: BprOptions | undefined;
  if (run.model === 'bpr') {
    bpr = { ...DEFAULT_BPR_OPTIONS, seed: run.seed, ...run.bpr };
    results.push(await measureBpr(terminal, evaluator, bpr, run.signal));
  }
  const report: EvalRecommendReport = {
    data: run.data,
    interactions: data.users.length,
    users: data.nUsers,
    items: data.nItems,
    split: { ratios: DEFAULT_RECSYS_SPLIT.ratios, seed: run.seed, train: split.train.length, valid: split.valid.length, test: split.test.length },
    k: run.k,
    ...(bpr === undefined ? {} : { bpr }),
    results,
    totalSeconds: seconds(start),
  };
  terminal.out(run.json ? JSON.stringify(report) : formatReport(report));
  return report;
}

function measurePopular(evaluator: RecsysEvaluator): ModelResult {
  const start = performance.now();
  const scorer = popularityScorer(evaluator.train);
  const trainSeconds = seconds(start);
  return { model: 'popular', valid: evaluator.validate(scorer), test: evaluator.test(scorer), trainSeconds };
}

async function measureBpr(terminal: Terminal, evaluator: RecsysEvaluator, options: BprOptions, signal: AbortSignal): Promise<ModelResult> {
  const start = performance.now();
  let bar: Progress | undefined;
  try {
    const result = await trainBpr(evaluator.train, options, {
      validate: (model) => evaluator.validate((u, out) => model.scoreUser(u, out)).ndcg,
      onProgress: (p) => (bar ??= terminal.progress('bpr', p.epochs)).update(p.epoch),
      signal,
    });
    bar?.stop();
    const trainSeconds = seconds(start);
    const scorer = (u: number, out: Float32Array): void => result.model.scoreUser(u, out);
    terminal.info(`bpr: ${result.epochs} epochs in ${trainSeconds.toFixed(1)} s, best validation NDCG@${evaluator.k} ${result.bestValidation?.toFixed(4) ?? '-'} at epoch ${result.bestEpoch}`);
    return { model: 'bpr', valid: evaluator.validate(scorer), test: evaluator.test(scorer), trainSeconds, epochs: result.epochs, bestEpoch: result.bestEpoch };
  } finally {
    bar?.stop();
  }
}

function formatReport(report: EvalRecommendReport): string {
  const k = report.k;
  const header = ['model', `recall@${k}`, `mrr@${k}`, `ndcg@${k}`, `hit@${k}`, `precision@${k}`, 'train_s', 'epochs'];
  const rows = report.results.map((r) => [
    r.model,
    ...[r.test.recall, r.test.mrr, r.test.ndcg, r.test.hit, r.test.precision].map((x) => x.toFixed(4)),
    r.trainSeconds.toFixed(1),
    r.epochs === undefined ? '-' : `${r.bestEpoch}/${r.epochs}`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] as number)).join('  ').trimEnd();
  return [`test metrics (${report.split.test} held-out interactions, ${report.results[0]?.test.users ?? 0} users)`, line(header), ...rows.map(line), `total ${report.totalSeconds.toFixed(1)} s`].join('\n');
}

function seconds(start: number): number {
  return Math.round((performance.now() - start) / 100) / 10;
}

/** A finite number > 0 (or >= 0 with `zero`), for commander. */
const parseNumber =
  (options: { zero: boolean }) =>
  (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (n === 0 && !options.zero)) {
      throw new CommanderArgumentError(`must be a number ${options.zero ? '>= 0' : '> 0'}, got "${value}"`);
    }
    return n;
  };

interface EvalRecommendFlags {
  data: string;
  model: RecommendModel;
  seed: string;
  k: number;
  dim?: number;
  epochs?: number;
  lr?: number;
  reg?: number;
  negatives?: number;
  patience?: number;
  json?: boolean;
}

/** Registers `quarry eval recommend`. */
export function addEvalRecommend(evalCommand: Command, context: CliContext): void {
  const d = DEFAULT_BPR_OPTIONS;
  evalCommand
    .command('recommend')
    .description('top-k recommendation under RecBole\'s protocol (per-user random 80/10/10 split, full ranking); the most-popular baseline runs alongside')
    .requiredOption('--data <folder>', 'RecBole atomic dataset folder (e.g. ml-100k with ml-100k.inter), or the .inter file')
    .option('--model <model>', `${RECOMMEND_MODELS.join(' | ')}`, parse.oneOf(RECOMMEND_MODELS), 'bpr')
    .option('--seed <seed>', 'split and training seed', String(DEFAULT_RECSYS_SPLIT.seed))
    .option('--k <n>', 'list length for the metrics', parse.int(1, 1_000), 10)
    .option('--dim <n>', `BPR latent dimension (default ${d.dim})`, parse.int(1, 4_096))
    .option('--epochs <n>', `BPR epochs at most (default ${d.epochs}; early stopping on validation NDCG)`, parse.int(0, 100_000))
    .option('--lr <x>', `BPR learning rate (default ${d.learningRate})`, parseNumber({ zero: false }))
    .option('--reg <x>', `BPR L2 regularisation (default ${d.regularization})`, parseNumber({ zero: true }))
    .option('--negatives <n>', `BPR negatives per positive (default ${d.negatives})`, parse.int(1, 1_000))
    .option('--patience <n>', `validations without improvement before stopping (default ${d.patience})`, parse.int(1, 100_000))
    .option('--json', 'print the report as one JSON object on stdout')
    .action(async (flags: EvalRecommendFlags) => {
      await evalRecommendCommand(context.terminal, {
        data: flags.data,
        model: flags.model,
        seed: flags.seed,
        k: flags.k,
        bpr: bprFlags(flags),
        json: flags.json === true,
        signal: context.signal,
      });
    });
}

function bprFlags(flags: EvalRecommendFlags): Partial<BprOptions> {
  return {
    ...(flags.dim === undefined ? {} : { dim: flags.dim }),
    ...(flags.epochs === undefined ? {} : { epochs: flags.epochs }),
    ...(flags.lr === undefined ? {} : { learningRate: flags.lr }),
    ...(flags.reg === undefined ? {} : { regularization: flags.reg }),
    ...(flags.negatives === undefined ? {} : { negatives: flags.negatives }),
    ...(flags.patience === undefined ? {} : { patience: flags.patience }),
  };
}
