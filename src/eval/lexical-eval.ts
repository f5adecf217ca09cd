import { CancelledError } from '../core/index.js';
import { DEFAULT_FEEDBACK, DEFAULT_SCORING, InvertedIndex, type FeedbackOptions, type ScoringParams } from '../index/index.js';
import { englishAnalyzer, type Analyzer } from '../text/index.js';
import { evaluateRun, type IrReport } from './ir-metrics.js';
import type { EvalDocument, Qrels, Run, Topic } from './trec.js';

export interface LexicalEvalOptions {
  docs: readonly EvalDocument[];
  topics: readonly Topic[];
  qrels: Qrels;
  /** Default {@link DEFAULT_LEXICAL_EVAL}. */
  analyzer?: Analyzer;
  scoring?: Partial<ScoringParams>;
  /** RM3 feedback settings, or false for plain BM25F. */
  feedback?: FeedbackOptions | false;
  /** Hits per topic in the run (trec_eval's usual depth). */
  depth?: number;
  /** Weight of the title field for documents that have one (JSONL `title`). */
  titleWeight?: number;
  typos?: boolean;
  onProgress?: (stage: 'index' | 'search', done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * The evaluation's defaults: the English analyzer (NFKC, case folding, NLTK stop words, Porter), the
 * index's BM25F defaults, RM3 feedback on, 1000 hits per topic, typos off (TREC topics are typed
 * carefully; on Vaswani typo expansion changes MAP by less than 0.001), and no exact match count
 * (`exactCountUpTo: 0`: pruning from the first hit; the evaluation never reads the count).
 */
export const DEFAULT_LEXICAL_EVAL = { feedback: DEFAULT_FEEDBACK, depth: 1000, titleWeight: 2, typos: false, exactCountUpTo: 0, scoring: DEFAULT_SCORING } as const;

export interface LexicalEvalResult {
  report: IrReport;
  run: Run;
  build_s: number;
  search_s: number;
  docs: number;
  topics: number;
}

/**
 * Indexes the documents, searches every topic and scores the run against the qrels. Yields to the
 * event loop now and then, so progress bars draw and an interrupt is seen.
 * @throws CancelledError when `signal` aborts.
 */
export async function runLexicalEval(options: LexicalEvalOptions): Promise<LexicalEvalResult> {
  const start = performance.now();
  const index = await buildEvalIndex(options);
  const built = performance.now();
  const run: Run = new Map();
  const depth = options.depth ?? DEFAULT_LEXICAL_EVAL.depth;
  const feedback = options.feedback ?? DEFAULT_LEXICAL_EVAL.feedback;
  for (const [i, topic] of options.topics.entries()) {
    if (i % 10 === 0) await yieldAndCheck(options.signal, 'search evaluation interrupted');
    const result = index.search(topic.query, {
      k: depth,
      typos: options.typos ?? DEFAULT_LEXICAL_EVAL.typos,
      exactCountUpTo: DEFAULT_LEXICAL_EVAL.exactCountUpTo,
      ...(feedback === false ? {} : { feedback }),
    });
    run.set(topic.id, result.hits.map((h) => ({ docId: options.docs[h.docId]?.id as string, score: h.score })));
    options.onProgress?.('search', i + 1, options.topics.length);
  }
  const searched = performance.now();
  return {
    report: evaluateRun(run, options.qrels),
    run,
    build_s: (built - start) / 1000,
    search_s: (searched - built) / 1000,
    docs: options.docs.length,
    topics: options.topics.length,
  };
}

/** The index an evaluation searches: `text`, plus `title` when any document has one; doc id = position in `docs`. */
export async function buildEvalIndex(options: Pick<LexicalEvalOptions, 'docs' | 'analyzer' | 'scoring' | 'titleWeight' | 'onProgress' | 'signal'>): Promise<InvertedIndex> {
  const analyzer = options.analyzer ?? englishAnalyzer();
  const titled = options.docs.some((d) => d.title !== undefined);
  const index = new InvertedIndex({
    fields: titled
      ? [
          { name: 'title', analyzer, weight: options.titleWeight ?? DEFAULT_LEXICAL_EVAL.titleWeight },
          { name: 'text', analyzer },
        ]
      : [{ name: 'text', analyzer }],
    ...(options.scoring === undefined ? {} : { scoring: options.scoring }),
  });
  const every = Math.max(1000, Math.floor(options.docs.length / 100));
  for (const [i, doc] of options.docs.entries()) {
    if (i % every === 0) {
      await yieldAndCheck(options.signal, 'indexing interrupted');
      options.onProgress?.('index', i, options.docs.length);
    }
    index.add({ title: doc.title, text: doc.text }, i);
  }
  options.onProgress?.('index', options.docs.length, options.docs.length);
  index.trim();
  return index;
}

async function yieldAndCheck(signal: AbortSignal | undefined, message: string): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal?.aborted === true) throw new CancelledError(message);
}
