import { InvalidArgumentError, Rng, type Seed } from '../core/index.js';

/** Row indexes into one interaction list: the three parts of a split, disjoint, covering every row. */
export interface RecsysSplit {
  train: Int32Array;
  valid: Int32Array;
  test: Int32Array;
}

export interface RecsysSplitOptions {
  /** Train, validation and test shares of each user's interactions (normalised by their sum). */
  ratios: readonly [number, number, number];
  seed: Seed;
}

/** RecBole's general-recommendation defaults: `split: {RS: [0.8, 0.1, 0.1]}`, `order: RO`, seed 2020. */
export const DEFAULT_RECSYS_SPLIT: Readonly<RecsysSplitOptions> = { ratios: [0.8, 0.1, 0.1], seed: 2020 };

/**
 * How many of a user's `total` interactions go to each part, as RecBole's `_calcu_split_ids` counts
 * them: every part but the first gets floor(ratio * total), the first the rest; then, scanning from the
 * last part back, a part whose share is positive but below one interaction takes one from the first
 * (while the first keeps more than one), so small users still get a validation and a test item.
 */
export function splitCounts(total: number, ratios: readonly number[]): number[] {
  const sum = ratios.reduce((s, r) => s + r, 0);
  const shares = ratios.map((r) => r / sum);
  const counts = shares.map((share) => Math.floor(share * total));
  counts[0] = total - counts.slice(1).reduce((s, c) => s + c, 0);
  for (let back = 1; back < shares.length; back++) {
    if (counts[0] <= 1) break;
    const part = shares.length - back;
    const expected = (shares[part] as number) * total;
    if (expected > 0 && expected < 1) {
      counts[part]! += 1;
      counts[0] -= 1;
    }
  }
  return counts;
}

/**
 * RecBole's random split per user (`RS` with `order: RO`, `group_by: user`): shuffle all interactions
 * with a seeded rng, group them by user keeping the shuffled order, and cut each user's group into
 * train / validation / test by `splitCounts`. Same seed, same split (RecBole's numbers come from
 * torch's generator, so the exact rows differ from RecBole's; the protocol is the same).
 * @param users [n] dense user index of each interaction.
 * @throws InvalidArgumentError when a ratio is negative or they sum to zero.
 */
export function randomSplitByUser(users: Int32Array, nUsers: number, options: Partial<RecsysSplitOptions> = {}): RecsysSplit {
  const { ratios, seed } = { ...DEFAULT_RECSYS_SPLIT, ...options };
  if (ratios.some((r) => !(r >= 0) || !Number.isFinite(r)) || !(ratios[0] + ratios[1] + ratios[2] > 0)) {
    throw new InvalidArgumentError(`split ratios must be finite, >= 0 and not all 0, got ${ratios.join(', ')}`);
  }
  const order = Int32Array.from({ length: users.length }, (_, n) => n);
  const rng = new Rng(seed).fork('split');
  for (let n = order.length - 1; n > 0; n--) {
    const m = rng.int(n + 1);
    const tmp = order[n] as number;
    order[n] = order[m] as number;
    order[m] = tmp;
  }
  const groups = groupByUser(order, users, nUsers);
  const parts: number[][] = [[], [], []];
  for (let u = 0; u < nUsers; u++) {
    const rows = groups.rows.subarray(groups.offsets[u], groups.offsets[u + 1]);
    const [trainCount = 0, validCount = 0] = splitCounts(rows.length, ratios);
    for (let n = 0; n < rows.length; n++) {
      const part = n < trainCount ? 0 : n < trainCount + validCount ? 1 : 2;
      parts[part]!.push(rows[n] as number);
    }
  }
  return { train: Int32Array.from(parts[0]!), valid: Int32Array.from(parts[1]!), test: Int32Array.from(parts[2]!) };
}

/** A stable counting sort of `order` by user: user u's rows are `rows[offsets[u] .. offsets[u + 1])`. */
function groupByUser(order: Int32Array, users: Int32Array, nUsers: number): { offsets: Int32Array; rows: Int32Array } {
  const offsets = new Int32Array(nUsers + 1);
  for (let n = 0; n < users.length; n++) {
    const u = users[n] as number;
    if (!(u >= 0 && u < nUsers)) throw new InvalidArgumentError(`interaction ${n} has user ${u}, outside 0..${nUsers - 1}`);
    offsets[u + 1]! += 1;
  }
  for (let u = 0; u < nUsers; u++) offsets[u + 1]! += offsets[u] as number;
  const fill = offsets.slice(0, nUsers);
  const rows = new Int32Array(order.length);
  for (let n = 0; n < order.length; n++) {
    const row = order[n] as number;
    rows[fill[users[row] as number]!++] = row;
  }
  return { offsets, rows };
}
