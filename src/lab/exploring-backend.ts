import { InvalidArgumentError, Rng, type Seed } from '../core/index.js';
import type { ShopBackend } from '../sim/index.js';

/**
 * Randomised exploration in a logging policy: with probability `rate`, a served list's first `topN`
 * items are shown in a uniformly random order (their logged recall scores and prices move with them).
 * A deterministic ranker's logs confound position with relevance (the best items are always on top);
 * the shuffled lists show items of every quality at every position, so a model that takes position as
 * a feature can tell the two apart (Joachims, Swaminathan & Schnabel 2017, "Unbiased learning-to-rank
 * with biased feedback", section 4: randomised intervention harvesting). Within a shuffled list every
 * order has the same chance, so an item's propensity of being shown at position p is
 * `(1 - rate) · [p is its ranked position] + rate / topN` for p <= topN; the impression events do not
 * log it (the ranking model learns position as a feature and needs no weights).
 */
export interface ExplorationConfig {
  /** Share of lists (search, feed, similar items) shown shuffled. In [0, 1]. */
  rate: number;
  /** How many of the first items a shuffled list mixes. At least 2. */
  topN: number;
  seed: Seed;
}

/**
 * The backend with randomised exploration on its search and recommend answers; suggestions and query
 * chips pass through.
 * @throws InvalidArgumentError when `rate` is outside [0, 1] or `topN` below 2.
 */
export function exploringBackend(backend: ShopBackend, config: ExplorationConfig): ShopBackend {
  if (!(config.rate >= 0 && config.rate <= 1)) throw new InvalidArgumentError(`exploration rate must be in [0, 1], got ${config.rate}`);
  if (!Number.isInteger(config.topN) || config.topN < 2) throw new InvalidArgumentError(`exploration topN must be an integer >= 2, got ${config.topN}`);
  const rng = new Rng(config.seed).fork('exploration');
  const explore = <T extends { items: string[]; recallScores?: number[]; cpcs?: (number | undefined)[] }>(page: T): T => {
    if (config.rate === 0 || !rng.bool(config.rate)) return page;
    const n = Math.min(config.topN, page.items.length);
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    const permute = <V>(values: V[] | undefined): V[] | undefined =>
      values === undefined ? undefined : [...order.map((i) => values[i] as V), ...values.slice(n)];
    const out: T = { ...page, items: permute(page.items) as string[] };
    if (page.recallScores !== undefined) out.recallScores = permute(page.recallScores);
    if (page.cpcs !== undefined) out.cpcs = permute(page.cpcs);
    return out;
  };
  const wrapped: ShopBackend = {
    search: (request) => explore(backend.search(request)),
    recommend: (request) => explore(backend.recommend(request)),
  };
  // Delegated by name, so a backend that is a class instance keeps its `this`.
  if (backend.suggest !== undefined) wrapped.suggest = (request) => (backend.suggest as NonNullable<ShopBackend['suggest']>).call(backend, request);
  if (backend.hint !== undefined) wrapped.hint = (request) => (backend.hint as NonNullable<ShopBackend['hint']>).call(backend, request);
  if (backend.guess !== undefined) wrapped.guess = (request) => (backend.guess as NonNullable<ShopBackend['guess']>).call(backend, request);
  if (backend.related !== undefined) wrapped.related = (request) => (backend.related as NonNullable<ShopBackend['related']>).call(backend, request);
  return wrapped;
}
