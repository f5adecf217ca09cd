import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import { DEFAULT_LEXICAL_EVAL, readDocuments, readQrels, readTopics, runLexicalEval, writeRun, type LexicalEvalResult } from '../../eval/index.js';
import { DEFAULT_SCORING } from '../../index/index.js';
import { parse } from '../options.js';
import type { CliContext } from '../program.js';
import type { Progress, Terminal } from '../terminal.js';

export interface EvalSearchRun {
  docs: string;
  topics: string;
  qrels: string;
  run: string | undefined;
  k1: number;
  b: number;
  depth: number;
  feedback: boolean;
  typos: boolean;
  json: boolean;
  signal: AbortSignal;
}

/**
 * `quarry eval search`: indexes a document collection with the lexical index (English analyzer,
 * BM25F, RM3 feedback by default), searches every topic, prints MAP, nDCG@10, P@10 and Recall@1000 as
 * trec_eval computes them, and writes the TREC run. See `docs/lexical.md`.
 */
export async function evalSearchCommand(terminal: Terminal, run: EvalSearchRun): Promise<LexicalEvalResult> {
  const docs = readDocuments(run.docs);
  const topics = readTopics(run.topics);
  const qrels = readQrels(run.qrels);
  terminal.info(`${run.docs}: ${docs.length} documents; ${topics.length} topics, ${qrels.size} with judgements`);
  const bars = new Map<string, Progress>();
  try {
    const result = await runLexicalEval({
      docs,
      topics,
      qrels,
      scoring: { k1: run.k1, b: run.b },
      feedback: run.feedback ? DEFAULT_LEXICAL_EVAL.feedback : false,
      depth: run.depth,
      typos: run.typos,
      signal: run.signal,
      onProgress: (stage, done, total) => {
        let bar = bars.get(stage);
        if (bar === undefined) bars.set(stage, (bar = terminal.progress(stage, total)));
        bar.update(done, total);
      },
    });
    for (const bar of bars.values()) bar.stop();
    if (run.run !== undefined) {
      await writeRun(run.run, result.run, run.feedback ? 'quarry-bm25f-rm3' : 'quarry-bm25f');
      terminal.info(`run written to ${run.run}`);
    }
    const { map, ndcg_at_10, p_at_10, recall_at_1000, topics: judged } = result.report;
    const summary = { docs: result.docs, topics: judged, k1: run.k1, b: run.b, feedback: run.feedback, map, ndcg_at_10, p_at_10, recall_at_1000, build_s: result.build_s, search_s: result.search_s };
    terminal.out(run.json ? JSON.stringify(summary) : formatSummary(summary));
    return result;
  } finally {
    for (const bar of bars.values()) bar.stop();
  }
}

function formatSummary(s: { docs: number; topics: number; k1: number; b: number; feedback: boolean; map: number; ndcg_at_10: number; p_at_10: number; recall_at_1000: number; build_s: number; search_s: number }): string {
  const f = (x: number) => x.toFixed(4);
  return [
    `${s.docs} documents, ${s.topics} judged topics; BM25F k1 ${s.k1} b ${s.b}${s.feedback ? ', RM3 feedback' : ''}`,
    `map          ${f(s.map)}`,
    `ndcg_cut_10  ${f(s.ndcg_at_10)}`,
    `P_10         ${f(s.p_at_10)}`,
    `recall_1000  ${f(s.recall_at_1000)}`,
    `index ${s.build_s.toFixed(2)} s, search ${s.search_s.toFixed(2)} s`,
  ].join('\n');
}

interface EvalSearchFlags {
  docs: string;
  topics: string;
  qrels: string;
  run?: string;
  k1: number;
  b: number;
  depth: number;
  feedback: boolean;
  typos?: boolean;
  json?: boolean;
}

const number = (min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new CommanderArgumentError(`must be a number from ${min} to ${max}, got "${value}"`);
  return n;
};

/** Registers `quarry eval search`. */
export function addEvalSearch(evalCommand: Command, context: CliContext): void {
  evalCommand
    .command('search')
    .description('lexical search on a TREC-style collection: MAP, nDCG@10, P@10, Recall@1000 (as trec_eval), and a TREC run file')
    .requiredOption('--docs <file>', 'documents: TREC <DOC><DOCNO> SGML, or JSONL {id, title?, text}')
    .requiredOption('--topics <file>', 'topics: TREC <top><num><title>, or qid<TAB>query lines')
    .requiredOption('--qrels <file>', 'TREC qrels: topic iteration docno grade')
    .option('--run <file>', 'write the TREC run file here')
    .option('--k1 <x>', 'BM25F term-frequency saturation', number(0.001, 100), DEFAULT_SCORING.k1)
    .option('--b <x>', 'BM25F length normalisation', number(0, 1), DEFAULT_SCORING.b)
    .option('--depth <n>', 'hits per topic', parse.int(1, 100_000), DEFAULT_LEXICAL_EVAL.depth)
    .option('--no-feedback', 'plain BM25F: no RM3 pseudo-relevance feedback')
    .option('--typos', 'expand query terms with typo matches (off: TREC topics are spelled carefully)')
    .option('--json', 'print the summary as one JSON object on stdout')
    // Nested subcommands do not inherit the exit override runCli sets on top-level commands.
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.terminal.out(s), writeErr: (s) => context.terminal.info(s) })
    .action(async (flags: EvalSearchFlags) => {
      await evalSearchCommand(context.terminal, {
        docs: flags.docs,
        topics: flags.topics,
        qrels: flags.qrels,
        run: flags.run,
        k1: flags.k1,
        b: flags.b,
        depth: flags.depth,
        feedback: flags.feedback,
        typos: flags.typos === true,
        json: flags.json === true,
        signal: context.signal,
      });
    });
}
