/**
 * MovieLens-100k as a CTR data set, from RecBole's atomic files (`ml-100k.inter`, `.user`, `.item`:
 * tab-separated, a `name:type` header). Each rating is a sample labelled 1 when rating >= threshold
 * (4 by default, RecBole's setting), with seven fields:
 *
 *   0 user   1 item   2 age band   3 gender   4 occupation   5 genres (one entry per genre)   6 release-year band
 *
 * every entry with value 1. Splits: `time` orders the ratings by timestamp and cuts 80/10/10 (the
 * future is never trained on); `random` shuffles them with the seed first (RecBole's "RS"). The feature
 * dictionary is fitted on the training split only: a user or item first seen later has no entry.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IncompatibleFormatError, InvalidArgumentError, QuarryError, Rng, type Seed } from '../core/index.js';
import { FeatureDictionary } from './feature-map.js';
import { SparseBatchBuilder, type SparseBatch } from './sparse-batch.js';

export const MOVIELENS_FIELDS = ['user', 'item', 'age', 'gender', 'occupation', 'genre', 'year'] as const;

export interface MovieLensCtrConfig {
  split: 'time' | 'random';
  /** Seed of the random split. */
  seed: Seed;
  /** Ratings at or above this are positives. */
  threshold: number;
  /** Train and validation shares; the test gets the rest. */
  trainFraction: number;
  validFraction: number;
}

export const DEFAULT_MOVIELENS_CTR_CONFIG: MovieLensCtrConfig = { split: 'time', seed: 'quarry', threshold: 4, trainFraction: 0.8, validFraction: 0.1 };

export interface MovieLensSplit {
  batch: SparseBatch;
  /** The user of each row (`[batch.size]`, dense user numbers), for per-user GAUC. */
  users: Int32Array;
}

export interface MovieLensCtr {
  train: MovieLensSplit;
  valid: MovieLensSplit;
  test: MovieLensSplit;
  featureMap: FeatureDictionary;
  config: MovieLensCtrConfig;
}

interface Rating {
  user: string;
  item: string;
  rating: number;
  time: number;
}

/**
 * Loads `<dir>/ml-100k.{inter,user,item}` and builds the three splits.
 * @throws QuarryError (NOT_FOUND) when a file is missing; IncompatibleFormatError naming the file and
 *   line of a malformed row; InvalidArgumentError for fractions that do not leave a test split.
 */
export async function loadMovieLensCtr(dir: string, config: Partial<MovieLensCtrConfig> = {}): Promise<MovieLensCtr> {
  const resolved = { ...DEFAULT_MOVIELENS_CTR_CONFIG, ...config };
  const { trainFraction, validFraction } = resolved;
  if (!(trainFraction > 0 && validFraction >= 0 && trainFraction + validFraction < 1)) {
    throw new InvalidArgumentError(`train and validation fractions must leave a test split; got ${trainFraction} and ${validFraction}`);
  }
  const [inter, users, items] = await Promise.all(['inter', 'user', 'item'].map((ext) => readAtomicFile(join(dir, `ml-100k.${ext}`))));
  const ratings = parseRatings(inter as AtomicFile);
  const userTokens = sideFeatures(users as AtomicFile, 'user_id', userFeatureTokens);
  const itemTokens = sideFeatures(items as AtomicFile, 'item_id', itemFeatureTokens);
  const order = splitOrder(ratings, resolved);
  const cut1 = Math.round(ratings.length * trainFraction);
  const cut2 = Math.round(ratings.length * (trainFraction + validFraction));
  const featureMap = new FeatureDictionary();
  const userNumbers = new Map<string, number>();
  const build = (from: number, to: number): MovieLensSplit => {
    const builder = new SparseBatchBuilder();
    const rowUsers = new Int32Array(to - from);
    for (let o = from; o < to; o++) {
      const rating = ratings[order[o] as number] as Rating;
      const entries: [number, string][] = [[0, `user=${rating.user}`], [1, `item=${rating.item}`]];
      entries.push(...(userTokens.get(rating.user) ?? []), ...(itemTokens.get(rating.item) ?? []));
      const known = entries.map(([field, token]) => [field, featureMap.id(token)] as const).filter(([, id]) => id >= 0);
      builder.push({
        label: rating.rating >= resolved.threshold ? 1 : 0,
        fields: known.map(([field]) => field),
        indices: known.map(([, id]) => id),
        values: known.map(() => 1),
      });
      if (!userNumbers.has(rating.user)) userNumbers.set(rating.user, userNumbers.size);
      rowUsers[o - from] = userNumbers.get(rating.user) as number;
    }
    return { batch: builder.build({ nFeatures: featureMap.nFeatures, nFields: MOVIELENS_FIELDS.length }), users: rowUsers };
  };
  const train = build(0, cut1);
  featureMap.freeze(); // the training split's dictionary; later splits only look tokens up
  return { train, valid: build(cut1, cut2), test: build(cut2, ratings.length), featureMap, config: resolved };
}

/** Rating indices in split order: by time (stable on ties) or shuffled with the seed. */
function splitOrder(ratings: readonly Rating[], config: MovieLensCtrConfig): Int32Array {
  const order = Array.from({ length: ratings.length }, (_, i) => i);
  if (config.split === 'time') order.sort((a, b) => (ratings[a] as Rating).time - (ratings[b] as Rating).time || a - b);
  else new Rng(config.seed).fork('movielens-split').shuffle(order);
  return Int32Array.from(order);
}

interface AtomicFile {
  path: string;
  columns: string[];
  /** Each row's cells with its 1-based line number. */
  rows: { line: number; cells: string[] }[];
}

async function readAtomicFile(path: string): Promise<AtomicFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new QuarryError('NOT_FOUND', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const lines = text.split(/\r?\n/);
  const columns = (lines[0] ?? '').split('\t').map((c) => c.split(':')[0] as string);
  const rows: AtomicFile['rows'] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    if (cells.length !== columns.length) throw new IncompatibleFormatError(`${path}:${i + 1}: ${cells.length} cells, the header has ${columns.length}`);
    rows.push({ line: i + 1, cells });
  }
  return { path, columns, rows };
}

function column(file: AtomicFile, name: string): number {
  const index = file.columns.indexOf(name);
  if (index === -1) throw new IncompatibleFormatError(`${file.path} has no column ${name} (columns: ${file.columns.join(', ')})`);
  return index;
}

function parseRatings(file: AtomicFile): Rating[] {
  const [u, i, r, t] = ['user_id', 'item_id', 'rating', 'timestamp'].map((name) => column(file, name)) as [number, number, number, number];
  return file.rows.map(({ line, cells }) => {
    const rating = Number(cells[r]);
    const time = Number(cells[t]);
    if (!Number.isFinite(rating) || !Number.isFinite(time)) {
      throw new IncompatibleFormatError(`${file.path}:${line}: rating "${cells[r]}" and timestamp "${cells[t]}" must be numbers`);
    }
    return { user: cells[u] as string, item: cells[i] as string, rating, time };
  });
}

/** Each id's (field, token) entries, from a side file (users or items). */
function sideFeatures(
  file: AtomicFile,
  idColumn: string,
  tokensOf: (file: AtomicFile, cells: string[], line: number) => [number, string][],
): Map<string, [number, string][]> {
  const id = column(file, idColumn);
  return new Map(file.rows.map(({ line, cells }) => [cells[id] as string, tokensOf(file, cells, line)]));
}

function userFeatureTokens(file: AtomicFile, cells: string[], line: number): [number, string][] {
  const age = Number(cells[column(file, 'age')]);
  if (!Number.isFinite(age)) throw new IncompatibleFormatError(`${file.path}:${line}: age "${cells[column(file, 'age')]}" is not a number`);
  return [
    [2, `age=${ageBand(age)}`],
    [3, `gender=${cells[column(file, 'gender')]}`],
    [4, `occupation=${cells[column(file, 'occupation')]}`],
  ];
}

function itemFeatureTokens(file: AtomicFile, cells: string[]): [number, string][] {
  const entries: [number, string][] = [];
  for (const genre of (cells[column(file, 'class')] ?? '').split(' ')) if (genre !== '') entries.push([5, `genre=${genre}`]);
  const year = Number(cells[column(file, 'release_year')]);
  if (Number.isInteger(year) && year > 0) entries.push([6, `year=${yearBand(year)}`]);
  return entries;
}

/** MovieLens-1M's age groups: under 18, 18-24, 25-34, 35-44, 45-49, 50-55, 56+. */
export function ageBand(age: number): string {
  const bounds: [number, string][] = [[18, '<18'], [25, '18-24'], [35, '25-34'], [45, '35-44'], [50, '45-49'], [56, '50-55']];
  for (const [below, band] of bounds) if (age < below) return band;
  return '56+';
}

/** Decades before 1960, five-year bands from then on (most of ML-100k's films are from the 1990s). */
export function yearBand(year: number): string {
  if (year < 1960) return `${Math.floor(year / 10) * 10}s`;
  const start = Math.floor(year / 5) * 5;
  return `${start}-${start + 4}`;
}
