import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { IncompatibleFormatError, InvalidArgumentError, NotFoundError } from '../core/index.js';
import { hasItem, interactionsFromRecords, selectInteractions, userItemSets, type InteractionRecord, type Interactions, type UserItemSets } from '../embed/index.js';
import type { RecsysSplit } from './recsys-split.js';

/** RecBole's top-k metrics for one user or averaged over users. */
export interface RecsysMetrics {
  recall: number;
  mrr: number;
  ndcg: number;
  hit: number;
  precision: number;
}

export interface RecsysReport extends RecsysMetrics {
  k: number;
  /** Users evaluated: those with at least one held-out item in the phase. */
  users: number;
}

/** Fills `out` ([nItems]) with user u's score of every item, higher is better. */
export type UserScorer = (u: number, out: Float32Array) => void;

/**
 * Reads a RecBole atomic interaction file (`.inter`: tab-separated, header `field:type`, e.g.
 * `user_id:token item_id:token rating:float timestamp:float`). Every row is one positive interaction,
 * as RecBole treats ml-100k with its default `threshold: ~` (no rating filter). Accepts the file or
 * a folder holding `<folder name>.inter` (or exactly one `.inter` file).
 * @throws NotFoundError when there is no such file; IncompatibleFormatError when the header lacks
 *   `user_id` or `item_id` or a row has too few columns.
 */
export function readAtomicInteractions(path: string): Interactions {
  const file = interFile(path);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((column) => column.split(':')[0]?.trim() ?? '');
  const userColumn = header.indexOf('user_id');
  const itemColumn = header.indexOf('item_id');
  const timeColumn = header.indexOf('timestamp');
  if (userColumn < 0 || itemColumn < 0) {
    throw new IncompatibleFormatError(`${file}: the header needs user_id and item_id columns, got "${lines[0] ?? ''}"`);
  }
  const records: InteractionRecord[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line.trim() === '') continue;
    const fields = line.split('\t');
    const userId = fields[userColumn];
    const itemId = fields[itemColumn];
    if (userId === undefined || itemId === undefined) throw new IncompatibleFormatError(`${file}:${n + 1}: expected ${header.length} tab-separated columns, got ${fields.length}`);
    const time = timeColumn < 0 ? undefined : Number(fields[timeColumn]);
    records.push({ userId, itemId, ...(time === undefined || !Number.isFinite(time) ? {} : { time }) });
  }
  return interactionsFromRecords(records);
}

function interFile(path: string): string {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new NotFoundError(`no such file or folder: ${path}`, { cause: error });
  }
  if (stats.isFile()) return path;
  const named = join(path, `${basename(path)}.inter`);
  const inters = readdirSync(path).filter((name) => name.endsWith('.inter'));
  if (inters.includes(basename(named))) return named;
  if (inters.length === 1) return join(path, inters[0] as string);
  throw new NotFoundError(`${path} holds ${inters.length} .inter files; expected ${basename(named)} or exactly one`);
}

/**
 * One user's metrics from the top of their ranking, exactly as RecBole computes them with binary
 * relevance: Hit@k (any relevant item in the top k), MRR@k (1 / rank of the first), Recall@k
 * (relevant found / relevant held out), Precision@k (relevant found / k), and NDCG@k = DCG / IDCG
 * with DCG = sum over relevant ranks r <= k of 1 / log2(r + 1) and IDCG the same sum over ranks
 * 1..min(relevantCount, k).
 * @param hits [k] whether the item at rank r + 1 is relevant; shorter when fewer items were ranked.
 */
export function userMetrics(hits: ArrayLike<boolean | number>, relevantCount: number, k: number): RecsysMetrics {
  let found = 0;
  let firstRank = 0;
  let dcg = 0;
  for (let r = 0; r < Math.min(k, hits.length); r++) {
    if (!hits[r]) continue;
    found++;
    if (firstRank === 0) firstRank = r + 1;
    dcg += 1 / Math.log2(r + 2);
  }
  let idcg = 0;
  for (let r = 0; r < Math.min(relevantCount, k); r++) idcg += 1 / Math.log2(r + 2);
  return {
    recall: relevantCount > 0 ? found / relevantCount : 0,
    mrr: firstRank > 0 ? 1 / firstRank : 0,
    ndcg: idcg > 0 ? dcg / idcg : 0,
    hit: found > 0 ? 1 : 0,
    precision: found / k,
  };
}

/**
 * The `k` best items of `scores` into `top` (best first), skipping `-Infinity` and NaN; ties go to
 * the lower item index. Returns how many were found (fewer than k when few items are rankable).
 * Insertion into a sorted buffer: O(nItems * k) worst case, O(nItems) typically for small k.
 */
export function topK(scores: Float32Array, k: number, top: Int32Array, topScores: Float32Array): number {
  let size = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    if (!(s > Number.NEGATIVE_INFINITY)) continue;
    if (size === k && !(s > (topScores[k - 1] as number))) continue;
    let pos = size < k ? size++ : k - 1;
    while (pos > 0 && s > (topScores[pos - 1] as number)) {
      top[pos] = top[pos - 1] as number;
      topScores[pos] = topScores[pos - 1] as number;
      pos--;
    }
    top[pos] = i;
    topScores[pos] = s;
  }
  return size;
}

/**
 * Full-ranking evaluation of a split as RecBole does it (`mode: full`): for every user with held-out
 * items in the phase, score all items, drop the user's known items (training items for validation;
 * training and validation items for test), take the top k, and average the per-user metrics.
 */
export class RecsysEvaluator {
  readonly train: Interactions;
  readonly k: number;
  private readonly trainSets: UserItemSets;
  private readonly trainValidSets: UserItemSets;
  private readonly validSets: UserItemSets;
  private readonly testSets: UserItemSets;

  /** @throws InvalidArgumentError when k is not a positive integer. */
  constructor(data: Interactions, split: RecsysSplit, k = 10) {
    if (!Number.isInteger(k) || k <= 0) throw new InvalidArgumentError(`k must be a positive integer, got ${k}`);
    const valid = selectInteractions(data, split.valid);
    const test = selectInteractions(data, split.test);
    this.train = selectInteractions(data, split.train);
    this.k = k;
    this.trainSets = userItemSets(data.nUsers, [this.train]);
    this.trainValidSets = userItemSets(data.nUsers, [this.train, valid]);
    this.validSets = userItemSets(data.nUsers, [valid]);
    this.testSets = userItemSets(data.nUsers, [test]);
  }

  /** Metrics on the validation part (training items excluded from the ranking). */
  validate(scoreUser: UserScorer): RecsysReport {
    return this.run(scoreUser, this.validSets, this.trainSets);
  }

  /** Metrics on the test part (training and validation items excluded from the ranking). */
  test(scoreUser: UserScorer): RecsysReport {
    return this.run(scoreUser, this.testSets, this.trainValidSets);
  }

  private run(scoreUser: UserScorer, truth: UserItemSets, known: UserItemSets): RecsysReport {
    const { nUsers, nItems } = this.train;
    const k = this.k;
    const scores = new Float32Array(nItems);
    const top = new Int32Array(k);
    const topScores = new Float32Array(k);
    const hits = new Uint8Array(k);
    const sum: RecsysMetrics = { recall: 0, mrr: 0, ndcg: 0, hit: 0, precision: 0 };
    let users = 0;
    for (let u = 0; u < nUsers; u++) {
      const relevantCount = (truth.offsets[u + 1] as number) - (truth.offsets[u] as number);
      if (relevantCount === 0) continue;
      scoreUser(u, scores);
      for (let n = known.offsets[u] as number; n < (known.offsets[u + 1] as number); n++) scores[known.items[n] as number] = Number.NEGATIVE_INFINITY;
      const found = topK(scores, k, top, topScores);
      for (let r = 0; r < k; r++) hits[r] = r < found && hasItem(truth, u, top[r] as number) ? 1 : 0;
      const metrics = userMetrics(hits, relevantCount, k);
      sum.recall += metrics.recall;
      sum.mrr += metrics.mrr;
      sum.ndcg += metrics.ndcg;
      sum.hit += metrics.hit;
      sum.precision += metrics.precision;
      users++;
    }
    const mean = (x: number): number => (users > 0 ? x / users : 0);
    return { k, users, recall: mean(sum.recall), mrr: mean(sum.mrr), ndcg: mean(sum.ndcg), hit: mean(sum.hit), precision: mean(sum.precision) };
  }
}

/** The most-popular baseline: every user gets the items with the most (weighted) training interactions. */
export function popularityScorer(train: Interactions): UserScorer {
  const counts = new Float32Array(train.nItems);
  for (let n = 0; n < train.items.length; n++) counts[train.items[n] as number]! += train.weights?.[n] ?? 1;
  return (_u, out) => out.set(counts);
}

export { DEFAULT_RECSYS_SPLIT, randomSplitByUser, splitCounts, type RecsysSplit, type RecsysSplitOptions } from './recsys-split.js';
