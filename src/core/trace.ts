/**
 * The per-request trace: what each stage did (how many candidates in and out, how long it took) and,
 * when the request asks for explanations, why each result is where it is.
 */

/** One stage's summary. */
export interface StageTrace {
  stage: 'recall' | 'merge' | 'rank' | 'rerank' | 'suggest';
  name: string;
  tookMs: number;
  input: number;
  output: number;
  /** Stage-specific facts (the query's terms, the parameters used, ...). */
  detail?: Record<string, unknown>;
}

/** A reranker moved a doc from one 1-based position to another, and says why. */
export interface TraceMove {
  reranker: string;
  docId: number;
  from: number;
  to: number;
  reason: string;
}

export class Trace {
  readonly requestId: string;
  /** When false, stages skip per-item explanations (they cost time on the hot path). */
  readonly detailed: boolean;
  readonly stages: StageTrace[] = [];
  readonly moves: TraceMove[] = [];

  constructor(requestId: string, options: { detailed: boolean }) {
    this.requestId = requestId;
    this.detailed = options.detailed;
  }

  /** Runs `fn` as a stage, recording its duration and sizes; `fn` may `annotate` the stage meanwhile. */
  stage<T>(
    summary: { stage: StageTrace['stage']; name: string; input: number; detail?: Record<string, unknown> },
    fn: () => T,
    size: (out: T) => number,
  ): T {
    const entry: StageTrace = { stage: summary.stage, name: summary.name, tookMs: 0, input: summary.input, output: 0 };
    if (summary.detail !== undefined) entry.detail = summary.detail;
    this.stages.push(entry);
    const start = performance.now();
    const out = fn();
    entry.tookMs = round3(performance.now() - start);
    entry.output = size(out);
    return out;
  }

  /** Adds stage-specific facts to the most recent stage named `name`. */
  annotate(name: string, detail: Record<string, unknown>): void {
    for (let i = this.stages.length - 1; i >= 0; i--) {
      const stage = this.stages[i];
      if (stage?.name === name) {
        stage.detail = { ...stage.detail, ...detail };
        return;
      }
    }
  }

  move(move: TraceMove): void {
    if (this.detailed) this.moves.push(move);
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
