/**
 * The shopper generator: core User records plus each user's latent taste (category, brand and price
 * preferences, how they type, how often they come). User `i` is drawn from its own fork (`user/i`).
 */

import type { Rng, User } from '../core/index.js';
import type { Catalog } from './categories.js';
import { AGE_BANDS, GENDERS, REGIONS, TOP_CATEGORY_LEANING, type Gender } from './data/index.js';
import { addNoise, addScaled, LATENT_DIM, normalize, type LatentSpace } from './latent.js';

/** How a user writes queries: shares of each script (summing to 1) and how often they mistype Latin. */
export interface InputStyle {
  /** Chinese characters: `华为手机`. */
  hanzi: number;
  /** Full pinyin without tones: `huaweishouji`. */
  pinyin: number;
  /** Pinyin initials: `hwsj`. */
  initials: number;
  /** English: `huawei phone`. */
  english: number;
  /** Chance that a Latin-script query carries one typo (`iphnoe`). */
  typoRate: number;
}

/** What the simulation knows about a user and the engine must learn. */
export interface UserTruth {
  userId: string;
  /** Position in `World.users`. */
  index: number;
  gender: Gender;
  ageBand: string;
  /** Unit vector, dim 16: the user's taste; the click model reads its dot product with items'. */
  vector: Float32Array;
  /** Dirichlet draw over top-level categories (indexed like `World.categories`), concentrated on 1-3. */
  topAffinity: Float64Array;
  /** Share of interest per leaf category (indexed like `World.leaves`), summing to 1. */
  leafAffinity: Float64Array;
  /** Chinese brand name → liking in [-1, 1]; a brand not listed is neutral (0). */
  brandAffinity: ReadonlyMap<string, number>;
  /** In [0, 1]: how much a higher price puts this user off. */
  priceSensitivity: number;
  /** Relative visit rate (Pareto-tailed: a few heavy users). */
  activity: number;
  inputStyle: InputStyle;
  /** Chance of typing a prefix and looking at suggestions before a query, when the shop offers them. */
  suggestionUse: number;
}

export interface GeneratedUser {
  user: User;
  truth: UserTruth;
}

export interface UserContext {
  catalog: Catalog;
  latent: LatentSpace;
  /** The world's root rng; user `i` forks `user/i` from it. */
  rng: Rng;
  startTime: number;
  idWidth: number;
}

const DAY_MS = 86_400_000;
/** Dirichlet concentration on a user's favourite top-level categories and on the rest. */
const FAVOURITE_ALPHA = 3;
const OTHER_ALPHA = 0.12;

export function userId(index: number, width: number): string {
  return `u${String(index + 1).padStart(width, '0')}`;
}

export function generateUser(ctx: UserContext, index: number): GeneratedUser {
  const rng = ctx.rng.fork(`user/${index}`);
  const id = userId(index, ctx.idWidth);
  const gender = rng.weightedPick(GENDERS, (g) => g.weight).value;
  const age = rng.weightedPick(AGE_BANDS, (a) => a.weight);
  const region = rng.weightedPick(REGIONS, (r) => r.weight);
  const topAffinity = drawTopAffinity(rng, ctx.catalog, { gender, parent: age.value === '25-34' || age.value === '35-44' });
  const leafAffinity = drawLeafAffinity(rng, ctx.catalog, topAffinity);
  const brandAffinity = drawBrandAffinity(rng, ctx.catalog, leafAffinity);
  const latin = age.latinInput;
  const [hanzi, pinyin, initials, english] = rng.dirichlet([20 * (1 - latin), 20 * latin * 0.6, 20 * latin * 0.04, 20 * latin * 0.36]) as [number, number, number, number];
  const truth: UserTruth = {
    userId: id,
    index,
    gender,
    ageBand: age.value,
    vector: userVector({ rng, latent: ctx.latent, leafAffinity, brandAffinity }),
    topAffinity,
    leafAffinity,
    brandAffinity,
    priceSensitivity: clamp(rng.normal(age.priceSensitivity, 0.2), 0.02, 0.98),
    activity: Math.min(60, Math.pow(1 - rng.next(), -1 / 1.3)),
    inputStyle: { hanzi, pinyin, initials, english, typoRate: rng.uniform(0.03, 0.15) },
    suggestionUse: rng.uniform(0.1, 0.6),
  };
  const user: User = {
    id,
    region: region.province,
    attributes: { city: rng.pick(region.cities), gender, ageBand: age.value },
    createdAt: Math.max(0, Math.round(ctx.startTime - rng.uniform(1, 3 * 365) * DAY_MS)),
  };
  return { user, truth };
}

/** Dirichlet over top-level categories: 1-3 favourites, picked with the gender's leaning, get most mass. */
function drawTopAffinity(rng: Rng, catalog: Catalog, who: { gender: Gender; parent: boolean }): Float64Array {
  const leaning = catalog.tops.map((top) => (TOP_CATEGORY_LEANING[who.gender][top.id] ?? 1) * (who.parent && top.id === 'baby' ? 2 : 1));
  const favourites = 1 + (rng.bool(0.5) ? 1 : 0) + (rng.bool(0.25) ? 1 : 0);
  const alpha = catalog.tops.map(() => OTHER_ALPHA);
  for (let k = 0; k < favourites; k++) {
    const t = rng.weightedIndex(leaning);
    alpha[t] = FAVOURITE_ALPHA;
    leaning[t] = 0;
  }
  return Float64Array.from(rng.dirichlet(alpha));
}

/** Within each top-level category, a Dirichlet over its leaves weighted by their catalog shares. */
function drawLeafAffinity(rng: Rng, catalog: Catalog, topAffinity: Float64Array): Float64Array {
  const out = new Float64Array(catalog.leaves.length);
  catalog.tops.forEach((top, t) => {
    const leaves = catalog.leaves.filter((leaf) => leaf.topIndex === t);
    const within = rng.dirichlet(leaves.map((leaf) => 0.4 * leaf.spec.weight));
    leaves.forEach((leaf, k) => (out[leaf.index] = (topAffinity[t] as number) * (within[k] as number)));
  });
  return out;
}

/** Favourite brands (and the odd disliked one) in the user's three most liked leaves. */
function drawBrandAffinity(rng: Rng, catalog: Catalog, leafAffinity: Float64Array): Map<string, number> {
  const affinity = new Map<string, number>();
  const topLeaves = [...catalog.leaves].sort((a, b) => (leafAffinity[b.index] as number) - (leafAffinity[a.index] as number) || a.index - b.index).slice(0, 3);
  for (const leaf of topLeaves) {
    const liked = rng.weightedPick(leaf.spec.brands, (b) => b.share ?? 1);
    affinity.set(liked.zh, rng.uniform(0.5, 1));
    if (rng.bool(0.35)) setIfAbsent(affinity, rng.pick(leaf.spec.brands).zh, rng.uniform(0.3, 0.8));
    if (rng.bool(0.25)) setIfAbsent(affinity, rng.pick(leaf.spec.brands).zh, -rng.uniform(0.3, 0.8));
  }
  return affinity;
}

function setIfAbsent(map: Map<string, number>, key: string, value: number): void {
  if (!map.has(key)) map.set(key, value);
}

interface UserVectorInput {
  rng: Rng;
  latent: LatentSpace;
  leafAffinity: Float64Array;
  brandAffinity: ReadonlyMap<string, number>;
}

/** Taste vector: the affinity-weighted mix of leaf centroids, pulled toward liked brands, plus noise. */
function userVector({ rng, latent, leafAffinity, brandAffinity }: UserVectorInput): Float32Array {
  const v = new Float32Array(LATENT_DIM);
  leafAffinity.forEach((share, l) => addScaled(v, latent.leafCentroids[l] as Float32Array, share));
  normalize(v);
  for (const [brand, liking] of brandAffinity) addScaled(v, latent.brandOffset(brand), 0.3 * liking);
  return normalize(addNoise(v, rng, 0.15));
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

