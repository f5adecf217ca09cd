import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { DEFAULT_CTR_TRAINING_CONFIG, trainRankingModel, type CtrTrainingReport, type ModelReport, type TrainingPhase } from '../../lab/index.js';
import type { CtrModelKind, CtrModelSpec } from '../../models/index.js';
import { encodeRankingModel, RANKING_MODEL_FORMAT_VERSION, RANKING_MODEL_NAME } from '../../rank/index.js';
import { DEFAULT_BPR_OPTIONS, putBprModel, trainBprFromStore } from '../../embed/index.js';
import { EMBEDDINGS_MODEL_NAME } from '../../engine/index.js';
import { SqliteStore } from '../../store/index.js';
import { defaultDbPath, parse } from '../options.js';
import { addTrainRerank } from './train-rerank.js';
import type { CliContext } from '../program.js';
import type { Progress, Terminal } from '../terminal.js';

interface TrainCtrFlags {
  db: string;
  model: CtrModelKind;
  cvrModel: CtrModelKind | 'none';
  k?: number;
  epochs: number;
  negativeRate: number;
  seed: string;
  report?: string;
  json?: boolean;
}

/** `quarry train ctr|embeddings|rerank`: models from the store's event log → the store's model registry. */
export function addTrain(program: Command, context: CliContext): void {
  const train = program.command('train').description('train models from the event log in the store');
  addTrainEmbeddings(train, context);
  addTrainRerank(train, context);
  train
    .command('ctr')
    .description('train the CTR (click) and CVR (purchase per click) ranking models; the engine serves the latest one')
    .addOption(new Option('--db <path>', 'SQLite database file (env QUARRY_DB)').default(defaultDbPath()))
    .addOption(new Option('--model <kind>', 'lr (FTRL logistic regression) | fm | ffm').choices(['lr', 'fm', 'ffm']).default('ffm'))
    .addOption(new Option('--cvr-model <kind>', 'the CVR model: lr | fm | ffm | none').choices(['lr', 'fm', 'ffm', 'none']).default('ffm'))
    .option('--k <n>', 'latent factors of fm/ffm (default: the model default, 4)', parse.int(1, 256))
    .option('--epochs <n>', 'most epochs (early stopping on the validation split)', parse.int(1, 1_000), DEFAULT_CTR_TRAINING_CONFIG.epochs)
    .option('--negative-rate <x>', 'share of negatives kept for training, corrected at prediction', parse.fraction, DEFAULT_CTR_TRAINING_CONFIG.negativeRate)
    .option('--seed <seed>', 'seed of sampling, shuffling and initialisation', String(DEFAULT_CTR_TRAINING_CONFIG.seed))
    .option('--report <file>', 'write the full report (metrics, cleaning, relevance, importance) as JSON')
    .option('--json', 'print the report as one JSON object on stdout')
    .action((flags: TrainCtrFlags) => trainCtrCommand(context.terminal, flags, context.signal));
}

async function trainCtrCommand(terminal: Terminal, flags: TrainCtrFlags, signal: AbortSignal): Promise<void> {
  const store = await SqliteStore.open({ path: flags.db, mustExist: true });
  const bars = new Map<TrainingPhase, Progress>();
  try {
    const spec = (kind: CtrModelKind): CtrModelSpec => (kind === 'lr' || flags.k === undefined ? { kind } : { kind, config: { k: flags.k } });
    const { model, report } = await trainRankingModel({
      store,
      signal,
      config: {
        model: spec(flags.model),
        cvrModel: flags.cvrModel === 'none' ? 'none' : spec(flags.cvrModel),
        epochs: flags.epochs,
        negativeRate: flags.negativeRate,
        seed: flags.seed,
      },
      onProgress: ({ phase, done, total }) => {
        for (const [other, bar] of bars) if (other !== phase) bar.stop();
        let bar = bars.get(phase);
        if (bar === undefined) bars.set(phase, (bar = terminal.progress(phase, total)));
        bar.update(done, total);
      },
    });
    for (const bar of bars.values()) bar.stop();
    const info = await store.putModel({
      name: RANKING_MODEL_NAME,
      formatVersion: RANKING_MODEL_FORMAT_VERSION,
      data: encodeRankingModel(model),
      meta: { ...model.metadata },
    });
    printSummary(terminal, report);
    terminal.info(`Stored ranking model version ${info.version} (${(info.bytes / 1e6).toFixed(1)} MB) in ${flags.db}; a server picks it up at its next start.`);
    if (flags.report !== undefined) await writeFile(flags.report, `${JSON.stringify(report, null, 2)}\n`);
    if (flags.json === true) terminal.out(JSON.stringify({ version: info.version, ...report }));
  } finally {
    for (const bar of bars.values()) bar.stop();
    await store.close();
  }
}

function printSummary(terminal: Terminal, report: CtrTrainingReport): void {
  const { samples } = report;
  terminal.info(`${samples.total.toLocaleString('en-US')} samples (${samples.clicks} clicks, ${samples.purchases} purchases); ${report.features.features} features in ${report.features.fields} fields`);
  for (const model of [report.ctr, report.cvr]) if (model !== undefined) terminal.info(modelLine(model));
  const top = report.importance.slice(0, 5).map((f) => `${f.field} ${f.aucDrop.toFixed(4)}`);
  terminal.info(`  most important fields (validation AUC lost when shuffled): ${top.join(', ')}`);
  const flagged = report.cleaning.filter((c) => c.constant || c.missingRate > 0.5).map((c) => `${c.name}${c.constant ? ' (constant)' : ` (${(c.missingRate * 100).toFixed(0)}% missing)`}`);
  if (flagged.length > 0) terminal.info(`  cleaning: ${flagged.join(', ')}`);
}

function modelLine(model: ModelReport): string {
  const t = model.test;
  const epochs = `${model.fit.epochs.length} epochs, best ${model.fit.bestEpoch}`;
  return `  ${model.label === 'click' ? 'CTR' : 'CVR'} model (${epochs}): test AUC ${t.auc.toFixed(4)}, GAUC/user ${t.gaucUser.toFixed(4)}, GAUC/query ${t.gaucQuery.toFixed(4)}, logloss ${t.logloss.toFixed(4)}, calibration ${t.calibrationRatio.toFixed(3)} on ${t.count} rows`;
}

interface TrainEmbeddingsFlags {
  db: string;
  dim: number;
  epochs: number;
  seed: string;
  json?: boolean;
}

function addTrainEmbeddings(train: Command, context: CliContext): void {
  train
    .command('embeddings')
    .description('train BPR item and user vectors on clicks, carts and purchases; the vector-u2i and vector-i2i channels serve them')
    .addOption(new Option('--db <path>', 'SQLite database file (env QUARRY_DB)').default(defaultDbPath()))
    .option('--dim <n>', 'vector dimension', parse.int(2, 1_024), DEFAULT_BPR_OPTIONS.dim)
    .option('--epochs <n>', 'epochs', parse.int(1, 10_000), 30)
    .option('--seed <seed>', 'seed of initialisation and sampling', String(DEFAULT_BPR_OPTIONS.seed))
    .option('--json', 'print the result as one JSON object on stdout')
    .action(async (flags: TrainEmbeddingsFlags) => {
      const store = await SqliteStore.open({ path: flags.db, mustExist: true });
      let bar: Progress | undefined;
      try {
        const result = await trainBprFromStore(
          store,
          { bpr: { dim: flags.dim, epochs: flags.epochs, seed: flags.seed } },
          {
            signal: context.signal,
            onProgress: (p) => (bar ??= context.terminal.progress('bpr', p.epochs)).update(p.epoch, p.epochs),
          },
        );
        bar?.stop();
        const { model, interactions } = result;
        const info = await putBprModel(store, model, { name: EMBEDDINGS_MODEL_NAME, meta: { epochs: result.epochs } });
        const loss = result.history[result.history.length - 1]?.loss ?? Number.NaN;
        context.terminal.info(
          `BPR on ${interactions.users.length.toLocaleString('en-US')} interactions (${model.nUsers} users, ${model.nItems} items), ${result.epochs} epochs, final loss ${loss.toFixed(4)}`,
        );
        context.terminal.info(`Stored embeddings version ${info.version} (dim ${model.dim}) in ${flags.db}; a server picks them up at its next start.`);
        if (flags.json === true) context.terminal.out(JSON.stringify({ version: info.version, users: model.nUsers, items: model.nItems, epochs: result.epochs, loss }));
      } finally {
        bar?.stop();
        await store.close();
      }
    });
}
