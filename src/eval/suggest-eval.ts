/**
 * Offline evaluation of query suggestion by replaying a query log (the protocol of Bar-Yossef &
 * Kraus 2011, "Context-sensitive query auto-completion", §6; Shokouhi 2013, §4): the issues are
 * split at random into a training part and a held-out part; each held-out query is typed again,
 * one prefix at a time, and at every prefix the rank of the query finally issued among the top 10
 * suggestions is scored: MRR@10, success@1 and success@5, weighted by how often it was held out.
 *
 * Inputs are the characters of the query, and for queries with Han characters its full pinyin and
 * its initials (pinyin prefixes); `typo` types the Latin form (the text, or the pinyin) with one
 * random edit at a position after the first (a deletion, substitution, insertion or swap), from
 * four characters on. The systems compared are given as builders (this module knows no suggester):
 * the system under test and a baseline, measured on the same split in the same run.
 *
 * `candidates: 'train'` offers the systems the training part only: a held-out query never seen in
 * training cannot be completed (`coverage` says how many were seen). `'all'` offers every distinct
 * query of the log, each counted once more than in training: a dictionary of known queries whose
 * popularity comes from training alone, for logs where every query is unique.
 */

import { CancelledError, InvalidArgumentError, Rng } from '../core/index.js';
import { normalizeText } from '../text/index.js';

export interface LoggedQuery {
  query: string;
  count: number;
}

/** A system under evaluation: the texts it suggests for what was typed, best first. */
export interface QueryCompleter {
  complete(prefix: string, limit: number): readonly string[];
}

export interface SuggestEvalSystems {
  build(train: readonly LoggedQuery[]): Promise<QueryCompleter>;
  buildBaseline(train: readonly LoggedQuery[]): Promise<QueryCompleter>;
  /** How a query with Han characters is typed in pinyin: full syllables and initials, no spaces. */
  typedForms(text: string): { pinyin?: string; initials?: string };
  /** Two texts name the same query when their keys are equal (e.g. spellings differing in spaces). */
  queryKey(text: string): string;
}

export interface SuggestEvalOptions {
  /** Share of the issues used for training, in (0, 1). */
  split: number;
  seed: string;
  candidates: 'train' | 'all';
  /** Held-out issues evaluated at most (a seeded sample when there are more). */
  maxHeldOut: number;
  /** Longest prefix typed, in characters; pinyin and typo inputs up to `maxPinyinLength` letters. */
  maxPrefixLength: number;
  maxPinyinLength: number;
  /**
   * The issues already split, per query of the log: its training and held-out issues (e.g. by time,
   * for an event store: the earlier `split` of the searches train, the later are held out). Replaces
   * the random split; `split` is then only reported.
   */
  presplit?: { train: readonly number[]; heldOut: readonly number[] };
  signal?: AbortSignal;
  onProgress?: (progress: { phase: 'build' | 'replay'; done: number; total: number }) => void;
}

export const DEFAULT_SUGGEST_EVAL: Omit<SuggestEvalOptions, 'signal' | 'onProgress' | 'presplit'> = {
  split: 0.9,
  seed: 'quarry',
  candidates: 'train',
  maxHeldOut: 5_000,
  maxPrefixLength: 10,
  maxPinyinLength: 20,
};

export const SUGGEST_INPUTS = ['chars', 'pinyin', 'initials', 'typo'] as const;
export type SuggestInput = (typeof SUGGEST_INPUTS)[number];

export interface SuggestMetrics {
  /** Held-out issues scored (a query held out twice counts twice). */
  n: number;
  mrr_at_10: number;
  baseline_mrr_at_10: number;
  success_at_1: number;
  baseline_success_at_1: number;
  success_at_5: number;
  baseline_success_at_5: number;
}

export interface PrefixRow extends SuggestMetrics {
  prefix_length: number;
}

export interface InputReport extends SuggestMetrics {
  by_prefix_length: PrefixRow[];
}

/** Overall figures are over character input (the standard protocol); `by_input` has every input. */
export interface SuggestEvalReport extends SuggestMetrics {
  queries: number;
  issues: number;
  split: number;
  seed: string;
  candidates: 'train' | 'all';
  train_queries: number;
  held_out_queries: number;
  held_out: number;
  /** Share of the held-out issues whose query is among the candidates offered to the systems. */
  coverage: number;
  by_prefix_length: PrefixRow[];
  by_input: Record<SuggestInput, InputReport>;
  build_s: number;
  baseline_build_s: number;
}

const LIMIT = 10;
const TYPO_LETTERS = 'abcdefghijklmnopqrstuvwxyz';
// eslint-disable-next-line no-control-regex -- control characters cannot be typed
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Sums per (input, prefix length) of weight, reciprocal rank and hits, for the system and the baseline. */
type Sums = [n: number, rr: number, s1: number, s5: number, brr: number, bs1: number, bs5: number];

/**
 * Replays the log's held-out issues against both systems.
 * @throws InvalidArgumentError on a bad option or an empty log; CancelledError when `signal` aborts.
 */
export async function evaluateSuggest(log: readonly LoggedQuery[], systems: SuggestEvalSystems, options: Partial<SuggestEvalOptions> = {}): Promise<SuggestEvalReport> {
  const o = { ...DEFAULT_SUGGEST_EVAL, ...options };
  validate(o, log);
  const rng = new Rng(o.seed);
  const { train, heldOut } = o.presplit ?? splitIssues(log, o.split, rng.fork('split'));
  const offered = o.candidates === 'all' ? dictionary(log, train, systems) : log.map((q, i) => ({ query: q.query, count: train[i] ?? 0 })).filter((q) => q.count > 0);
  o.onProgress?.({ phase: 'build', done: 0, total: 2 });
  let start = performance.now();
  const system = await systems.build(offered);
  const buildS = (performance.now() - start) / 1000;
  start = performance.now();
  const baseline = await systems.buildBaseline(offered);
  const baselineBuildS = (performance.now() - start) / 1000;
  o.onProgress?.({ phase: 'build', done: 2, total: 2 });

  const sample = sampleHeldOut(log, heldOut, o.maxHeldOut, rng.fork('sample'));
  const known = new Set(offered.map((q) => systems.queryKey(normalizeText(q.query))));
  const sums = new Map<string, Sums>();
  let covered = 0;
  let weight = 0;
  for (const [i, [index, times]] of sample.entries()) {
    if (i % 50 === 0) await checkpoint(o, i, sample.length);
    const text = normalizeText((log[index] as LoggedQuery).query);
    if (text === '' || CONTROL.test(text)) continue;
    const key = systems.queryKey(text);
    weight += times;
    if (known.has(key)) covered += times;
    for (const { input, length, typed } of inputsOf(text, systems, o, rng.fork(`typo/${index}`))) {
      const row = sums.get(`${input}/${length}`) ?? [0, 0, 0, 0, 0, 0, 0];
      const rank = rankOf(system.complete(typed, LIMIT), key, systems);
      const baseRank = rankOf(baseline.complete(typed, LIMIT), key, systems);
      addTo(row, times, rank, baseRank);
      sums.set(`${input}/${length}`, row);
    }
  }
  o.onProgress?.({ phase: 'replay', done: sample.length, total: sample.length });
  const byInput = Object.fromEntries(SUGGEST_INPUTS.map((input) => [input, inputReport(sums, input)])) as Record<SuggestInput, InputReport>;
  const { by_prefix_length: byLength, ...overall } = byInput.chars;
  return {
    queries: log.length,
    issues: log.reduce((s, q) => s + q.count, 0),
    split: o.split,
    seed: o.seed,
    candidates: o.candidates,
    train_queries: offered.length,
    held_out_queries: sample.length,
    held_out: weight,
    coverage: weight > 0 ? covered / weight : 0,
    ...overall,
    by_prefix_length: byLength,
    by_input: byInput,
    build_s: round(buildS, 3),
    baseline_build_s: round(baselineBuildS, 3),
  };
}

/** Each issue goes to training with probability `split` (a Bernoulli draw per issue). */
function splitIssues(log: readonly LoggedQuery[], split: number, rng: Rng): { train: number[]; heldOut: number[] } {
  const train: number[] = [];
  const heldOut: number[] = [];
  for (const { count } of log) {
    let kept = 0;
    for (let k = 0; k < count; k++) if (rng.next() < split) kept++;
    train.push(kept);
    heldOut.push(count - kept);
  }
  return { train, heldOut };
}

/**
 * Every query of the log with its training count plus one: add-one smoothing per query, given to
 * the first spelling of each (so a query logged in two spellings is not smoothed twice).
 */
function dictionary(log: readonly LoggedQuery[], train: readonly number[], systems: SuggestEvalSystems): LoggedQuery[] {
  const smoothed = new Set<string>();
  return log.map((q, i) => {
    const key = systems.queryKey(normalizeText(q.query));
    const extra = smoothed.has(key) ? 0 : 1;
    smoothed.add(key);
    return { query: q.query, count: (train[i] ?? 0) + extra };
  });
}

/** The held-out issues, or a seeded sample of `max` of them, as (query index, times) pairs. */
function sampleHeldOut(log: readonly LoggedQuery[], heldOut: readonly number[], max: number, rng: Rng): [number, number][] {
  const issues: number[] = [];
  heldOut.forEach((times, index) => {
    for (let k = 0; k < times; k++) issues.push(index);
  });
  const chosen = issues.length > max ? rng.sample(issues, max) : issues;
  const times = new Map<number, number>();
  for (const index of chosen) times.set(index, (times.get(index) ?? 0) + 1);
  return [...times].sort((a, b) => a[0] - b[0]);
}

interface TypedInput {
  input: SuggestInput;
  length: number;
  typed: string;
}

/** Every prefix to type for one held-out query, per input kind. */
function inputsOf(text: string, systems: SuggestEvalSystems, o: SuggestEvalOptions, rng: Rng): TypedInput[] {
  const out: TypedInput[] = [];
  const chars = Array.from(text);
  for (let l = 1; l <= Math.min(chars.length, o.maxPrefixLength); l++) out.push({ input: 'chars', length: l, typed: chars.slice(0, l).join('') });
  const { pinyin, initials } = systems.typedForms(text);
  for (let l = 1; l <= Math.min(pinyin?.length ?? 0, o.maxPinyinLength); l++) out.push({ input: 'pinyin', length: l, typed: (pinyin as string).slice(0, l) });
  for (let l = 1; l <= Math.min(initials?.length ?? 0, o.maxPrefixLength); l++) out.push({ input: 'initials', length: l, typed: (initials as string).slice(0, l) });
  const latin = pinyin ?? (/^[a-z0-9 ]+$/.test(text) ? text : undefined);
  for (let l = 4; latin !== undefined && l <= Math.min(latin.length, o.maxPinyinLength); l++) {
    const typo = withTypo(latin.slice(0, l), rng);
    if (typo !== undefined) out.push({ input: 'typo', length: l, typed: typo });
  }
  return out;
}

/** One random edit after the first character; undefined when the edit changes nothing. */
function withTypo(prefix: string, rng: Rng): string | undefined {
  const at = 1 + rng.int(prefix.length - 1);
  const letter = TYPO_LETTERS[rng.int(TYPO_LETTERS.length)] as string;
  const before = prefix.slice(0, at);
  const after = prefix.slice(at + 1);
  const edits = [before + after, before + letter + after, before + letter + prefix.slice(at), before + (prefix[at + 1] ?? '') + (prefix[at] ?? '') + prefix.slice(at + 2)];
  const typed = edits[rng.int(edits.length)] as string;
  return typed === prefix || typed.trim() === '' ? undefined : typed;
}

function rankOf(suggestions: readonly string[], key: string, systems: SuggestEvalSystems): number {
  for (let r = 0; r < Math.min(LIMIT, suggestions.length); r++) if (systems.queryKey(normalizeText(suggestions[r] as string)) === key) return r + 1;
  return 0;
}

function addTo(row: Sums, times: number, rank: number, baseRank: number): void {
  row[0] += times;
  if (rank > 0) {
    row[1] += times / rank;
    if (rank === 1) row[2] += times;
    if (rank <= 5) row[3] += times;
  }
  if (baseRank > 0) {
    row[4] += times / baseRank;
    if (baseRank === 1) row[5] += times;
    if (baseRank <= 5) row[6] += times;
  }
}

function inputReport(sums: Map<string, Sums>, input: SuggestInput): InputReport {
  const rows: PrefixRow[] = [];
  const total: Sums = [0, 0, 0, 0, 0, 0, 0];
  for (const [key, row] of sums) {
    const [kind, length] = key.split('/');
    if (kind !== input) continue;
    rows.push({ prefix_length: Number(length), ...metricsOf(row) });
    for (let i = 0; i < total.length; i++) total[i] = (total[i] as number) + (row[i] as number);
  }
  return { ...metricsOf(total), by_prefix_length: rows.sort((a, b) => a.prefix_length - b.prefix_length) };
}

function metricsOf([n, rr, s1, s5, brr, bs1, bs5]: Sums): SuggestMetrics {
  const mean = (x: number) => (n > 0 ? round(x / n, 4) : 0);
  return { n, mrr_at_10: mean(rr), baseline_mrr_at_10: mean(brr), success_at_1: mean(s1), baseline_success_at_1: mean(bs1), success_at_5: mean(s5), baseline_success_at_5: mean(bs5) };
}

function validate(o: SuggestEvalOptions, log: readonly LoggedQuery[]): void {
  if (!(o.split > 0 && o.split < 1)) throw new InvalidArgumentError(`split must be in (0, 1), got ${o.split}`);
  for (const [name, value] of [['maxHeldOut', o.maxHeldOut], ['maxPrefixLength', o.maxPrefixLength], ['maxPinyinLength', o.maxPinyinLength]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got ${value}`);
  }
  if (log.length === 0) throw new InvalidArgumentError('the query log is empty');
  const p = o.presplit;
  if (p !== undefined && (p.train.length !== log.length || p.heldOut.length !== log.length)) {
    throw new InvalidArgumentError(`presplit has ${p.train.length} training and ${p.heldOut.length} held-out counts for ${log.length} queries`);
  }
}

async function checkpoint(o: SuggestEvalOptions, done: number, total: number): Promise<void> {
  o.onProgress?.({ phase: 'replay', done, total });
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (o.signal?.aborted === true) throw new CancelledError('suggestion evaluation was cancelled', { cause: o.signal.reason });
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
