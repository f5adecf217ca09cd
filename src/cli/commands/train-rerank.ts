import { Option, type Command } from 'commander';
import { DEFAULT_LIST_RERANK_TRAINING_CONFIG, trainListReranker, type ListRerankReport } from '../../lab/index.js';
import { encodeListScorer, LIST_RERANKER_MODEL_NAME, LIST_SCORER_VERSION } from '../../rerank/index.js';
import { SqliteStore } from '../../store/index.js';
import { defaultDbPath, parse } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress } from '../terminal.js';

interface TrainRerankFlags {
  db: string;
  name: string;
  epochs: number;
  learningRate: number;
  seed: string;
  json?: boolean;
}

/**
 * `quarry train rerank`: the list-aware re-ranker's scorer from the store's impressions and clicks
 * (LambdaRank, `trainListReranker`) → the model registry under `--name`; a `list-aware` reranker spec
 * naming it serves the latest version from the engine's next start.
 */
export function addTrainRerank(train: Command, context: CliContext): void {
  train
    .command('rerank')
    .description('train the list-aware re-ranker on the logged impressions and clicks; a { "type": "list-aware" } reranker serves it')
    .addOption(new Option('--db <path>', 'SQLite database file (env QUARRY_DB)').default(defaultDbPath()))
    .option('--name <name>', 'model registry name (the list-aware spec\'s "model")', LIST_RERANKER_MODEL_NAME)
    .option('--epochs <n>', 'most epochs (early stopping on validation NDCG@10)', parse.int(1, 10_000), DEFAULT_LIST_RERANK_TRAINING_CONFIG.epochs)
    .option('--learning-rate <x>', 'step size of the per-list LambdaRank step', parse.fraction, DEFAULT_LIST_RERANK_TRAINING_CONFIG.learningRate)
    .option('--seed <seed>', 'seed of the list order and the bootstrap', String(DEFAULT_LIST_RERANK_TRAINING_CONFIG.seed))
    .option('--json', 'print the report as one JSON object on stdout')
    .action(async (flags: TrainRerankFlags) => {
      const { terminal } = context;
      const store = await SqliteStore.open({ path: flags.db, mustExist: true });
      const bars = new Map<string, Progress>();
      try {
        const { scorer, report } = await trainListReranker({
          store,
          signal: context.signal,
          config: { epochs: flags.epochs, learningRate: flags.learningRate, seed: flags.seed },
          onProgress: ({ phase, done, total }) => {
            for (const [other, bar] of bars) if (other !== phase) bar.stop();
            let bar = bars.get(phase);
            if (bar === undefined) bars.set(phase, (bar = terminal.progress(phase === 'lists' ? 'reading lists' : 'LambdaRank epochs', total)));
            bar.update(done, total);
          },
        });
        for (const bar of bars.values()) bar.stop();
        const info = await store.putModel({
          name: flags.name,
          formatVersion: LIST_SCORER_VERSION,
          data: encodeListScorer(scorer),
          meta: { kind: scorer.kind, bestEpoch: report.bestEpoch, testNdcgAt10: report.test.learned, testPointwiseNdcgAt10: report.test.pointwise },
        });
        for (const line of summary(report)) terminal.info(line);
        terminal.info(`Stored list re-ranker "${flags.name}" version ${info.version} in ${flags.db}; a server with a { "type": "list-aware", "model": "${flags.name}" } reranker picks it up at its next start.`);
        if (flags.json === true) terminal.out(JSON.stringify({ name: flags.name, version: info.version, ...report }));
      } finally {
        for (const bar of bars.values()) bar.stop();
        await store.close();
      }
    });
}

function summary(report: ListRerankReport): string[] {
  const { lists, test, valid } = report;
  const f = (x: number) => x.toFixed(4);
  return [
    `${lists.withClicks} of ${lists.logged} logged lists have clicks: ${lists.train} train, ${lists.valid} validation, ${lists.test} test; best epoch ${report.bestEpoch} of ${report.epochs}`,
    `  NDCG@10 of clicks, learned / pointwise order: validation ${f(valid.learned)} / ${f(valid.pointwise)}, test ${f(test.learned)} / ${f(test.pointwise)}`,
    `  test difference ${f(test.delta.mean)} [95% bootstrap ${f(test.delta.low)}, ${f(test.delta.high)}]`,
  ];
}
