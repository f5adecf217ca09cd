import { InvalidArgumentError } from '../core/index.js';

/**
 * An implicit-feedback interaction list: row `n` says user `users[n]` interacted with item `items[n]`.
 * Users and items are dense indexes `0..nUsers-1`, `0..nItems-1`; `userIds[u]` / `itemIds[i]` are
 * their external ids. Every row is a positive for BPR; the same pair may appear more than once.
 */
export interface Interactions {
  readonly nUsers: number;
  readonly nItems: number;
  /** [n] dense user index per interaction. */
  readonly users: Int32Array;
  /** [n] dense item index per interaction. */
  readonly items: Int32Array;
  /** [n] how much each interaction counts (scales its BPR gradient); absent means 1 each. */
  readonly weights?: Float32Array;
  /** [n] epoch ms (or any monotone clock) per interaction, when known. */
  readonly times?: Float64Array;
  /** [nUsers] external user ids, by dense index. */
  readonly userIds: readonly string[];
  /** [nItems] external item ids, by dense index. */
  readonly itemIds: readonly string[];
}

/** One interaction by external ids, as read from a file or the store. */
export interface InteractionRecord {
  userId: string;
  itemId: string;
  weight?: number;
  time?: number;
}

/**
 * Builds an interaction list from records, giving users and items dense indexes in order of first
 * appearance. Weights (times) are kept when at least one record has one; the others get 1 (0).
 * @throws InvalidArgumentError when a weight is negative or not finite.
 */
export function interactionsFromRecords(records: Iterable<InteractionRecord>): Interactions {
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  const times: number[] = [];
  let hasWeight = false;
  let hasTime = false;
  for (const record of records) {
    users.push(internId(userIndex, record.userId));
    items.push(internId(itemIndex, record.itemId));
    const weight = record.weight ?? 1;
    if (!(weight >= 0) || !Number.isFinite(weight)) {
      throw new InvalidArgumentError(`interaction ${users.length - 1} (${record.userId}, ${record.itemId}) has weight ${weight}; weights must be finite and >= 0`);
    }
    hasWeight ||= record.weight !== undefined;
    hasTime ||= record.time !== undefined;
    weights.push(weight);
    times.push(record.time ?? 0);
  }
  return {
    nUsers: userIndex.size,
    nItems: itemIndex.size,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    ...(hasWeight ? { weights: Float32Array.from(weights) } : {}),
    ...(hasTime ? { times: Float64Array.from(times) } : {}),
    userIds: [...userIndex.keys()],
    itemIds: [...itemIndex.keys()],
  };
}

function internId(index: Map<string, number>, id: string): number {
  let dense = index.get(id);
  if (dense === undefined) index.set(id, (dense = index.size));
  return dense;
}

/**
 * The rows `rows` of `data` (in that order), with the same users, items and ids: a split keeps every
 * user's and item's index so factors and metrics line up across train, validation and test.
 */
export function selectInteractions(data: Interactions, rows: Int32Array): Interactions {
  const users = new Int32Array(rows.length);
  const items = new Int32Array(rows.length);
  const weights = data.weights === undefined ? undefined : new Float32Array(rows.length);
  const times = data.times === undefined ? undefined : new Float64Array(rows.length);
  for (let n = 0; n < rows.length; n++) {
    const row = rows[n] as number;
    users[n] = data.users[row] as number;
    items[n] = data.items[row] as number;
    if (weights !== undefined) weights[n] = data.weights?.[row] as number;
    if (times !== undefined) times[n] = data.times?.[row] as number;
  }
  return {
    nUsers: data.nUsers,
    nItems: data.nItems,
    users,
    items,
    ...(weights === undefined ? {} : { weights }),
    ...(times === undefined ? {} : { times }),
    userIds: data.userIds,
    itemIds: data.itemIds,
  };
}

/**
 * Each user's distinct items, sorted, in compressed-sparse-row form: user `u`'s items are
 * `items[offsets[u] .. offsets[u + 1])`. Used to exclude positives when sampling negatives and to
 * mask known items when ranking.
 */
export interface UserItemSets {
  /** [nUsers + 1] row starts. */
  readonly offsets: Int32Array;
  /** [nnz] item indexes, ascending within each user, no repeats. */
  readonly items: Int32Array;
}

/** Groups the (user, item) pairs of one or more interaction lists by user, deduplicated and sorted. */
export function userItemSets(nUsers: number, lists: readonly Pick<Interactions, 'users' | 'items'>[]): UserItemSets {
  const counts = new Int32Array(nUsers + 1);
  for (const list of lists) for (let n = 0; n < list.users.length; n++) counts[(list.users[n] as number) + 1]!++;
  for (let u = 0; u < nUsers; u++) counts[u + 1]! += counts[u] as number;
  const fill = counts.slice(0, nUsers);
  const raw = new Int32Array(counts[nUsers] as number);
  for (const list of lists) {
    for (let n = 0; n < list.users.length; n++) raw[fill[list.users[n] as number]!++] = list.items[n] as number;
  }
  // Sort each row and drop repeats, compacting in place.
  const offsets = new Int32Array(nUsers + 1);
  let write = 0;
  for (let u = 0; u < nUsers; u++) {
    const row = raw.subarray(counts[u], counts[u + 1]).sort();
    offsets[u] = write;
    for (let n = 0; n < row.length; n++) if (n === 0 || row[n] !== row[n - 1]) raw[write++] = row[n] as number;
  }
  offsets[nUsers] = write;
  return { offsets, items: raw.slice(0, write) };
}

/** True when `item` is in user `u`'s set (binary search over the sorted row). */
export function hasItem(sets: UserItemSets, u: number, item: number): boolean {
  let lo = sets.offsets[u] as number;
  let hi = (sets.offsets[u + 1] as number) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = sets.items[mid] as number;
    if (value === item) return true;
    if (value < item) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Checks that every user and item index is in range and the optional columns have one value per row.
 * @throws InvalidArgumentError naming the first bad row or column.
 */
export function validateInteractions(data: Interactions): void {
  const n = data.users.length;
  if (data.items.length !== n) throw new InvalidArgumentError(`interactions have ${n} users but ${data.items.length} items`);
  if (data.weights !== undefined && data.weights.length !== n) throw new InvalidArgumentError(`interactions have ${n} rows but ${data.weights.length} weights`);
  if (data.times !== undefined && data.times.length !== n) throw new InvalidArgumentError(`interactions have ${n} rows but ${data.times.length} times`);
  if (data.userIds.length !== data.nUsers) throw new InvalidArgumentError(`interactions name ${data.userIds.length} user ids for ${data.nUsers} users`);
  if (data.itemIds.length !== data.nItems) throw new InvalidArgumentError(`interactions name ${data.itemIds.length} item ids for ${data.nItems} items`);
  for (let row = 0; row < n; row++) {
    const u = data.users[row] as number;
    const i = data.items[row] as number;
    if (!(u >= 0 && u < data.nUsers)) throw new InvalidArgumentError(`interaction ${row} has user ${u}, outside 0..${data.nUsers - 1}`);
    if (!(i >= 0 && i < data.nItems)) throw new InvalidArgumentError(`interaction ${row} has item ${i}, outside 0..${data.nItems - 1}`);
    const w = data.weights?.[row] ?? 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new InvalidArgumentError(`interaction ${row} has weight ${w}; weights must be finite and >= 0`);
  }
}
