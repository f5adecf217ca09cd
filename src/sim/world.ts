/**
 * The simulated shop: `generateWorld` builds the catalog (products, ads, content cards), the users
 * and their latent truth from one seed. The same config gives byte-identical records.
 */

import { InvalidArgumentError, NotFoundError, Rng, type Item, type Seed, type User } from '../core/index.js';
import { buildCatalog, type Catalog, type CategoryNode, type Leaf } from './categories.js';
import { CATALOG_SPEC } from './data/index.js';
import { gradeRelevance, type Intent, type Relevance } from './intent.js';
import type { ItemTruth } from './item-truth.js';
import { generateItem } from './items.js';
import { LatentSpace } from './latent.js';
import { QueryInterpreter } from './query-interpreter.js';
import { generateUser, type UserTruth } from './users.js';

export interface WorldConfig {
  /** Seed of every draw in the world. Default `'quarry'`. */
  seed: Seed;
  /** Catalog size, ads and content cards included. Default 5,000. */
  items: number;
  /** Number of shoppers. Default 2,000. */
  users: number;
  /** Share of items that are ads (kind `ad`, with a CPC bid). Default 0.03. */
  adShare: number;
  /** Share of items that are content cards (kind `content`). Default 0.01. */
  contentShare: number;
  /** Epoch ms where the history starts; items and users are created before it. Default 2026-10-01T00:00:00Z. */
  startTime: number;
}

export const DEFAULT_WORLD_CONFIG: WorldConfig = {
  seed: 'quarry',
  items: 5_000,
  users: 2_000,
  adShare: 0.03,
  contentShare: 0.01,
  startTime: Date.UTC(2026, 9, 1),
};

export interface World {
  readonly config: WorldConfig;
  /** Core Item records (ItemSchema-valid): products, ads and content cards. */
  readonly items: readonly Item[];
  /** Core User records (UserSchema-valid). */
  readonly users: readonly User[];
  /** The category tree, top-level categories first. */
  readonly categories: readonly CategoryNode[];
  /** The leaf categories in a fixed order: `UserTruth.leafAffinity` and `ItemTruth.leafIndex` index it. */
  readonly leaves: readonly CategoryNode[];
  /**
   * The latent truth of an item.
   * @throws NotFoundError when the item is not in the world.
   */
  itemTruth(itemId: string): ItemTruth;
  /**
   * The latent truth of a user.
   * @throws NotFoundError when the user is not in the world.
   */
  userTruth(userId: string): UserTruth;
  /**
   * Ground-truth graded relevance of an item to an intent (see `gradeRelevance`), usable as qrels.
   * @throws NotFoundError for an unknown item; InvalidArgumentError for an intent whose leafId is not a leaf.
   */
  relevance(intent: Intent, itemId: string): Relevance;
}

/**
 * Generates a world. Items and users are each drawn from their own fork of the seed, so a larger
 * world keeps the smaller one's first items and users unchanged.
 * @param config overrides of `DEFAULT_WORLD_CONFIG`.
 * @throws InvalidArgumentError when a size is not a positive integer, a share is outside [0, 1) or the
 *   shares add up to 1 or more, or startTime is not a non-negative integer.
 */
export function generateWorld(config: Partial<WorldConfig> = {}): World {
  return new ShopWorld(validateWorldConfig({ ...DEFAULT_WORLD_CONFIG, ...config }));
}

function validateWorldConfig(config: WorldConfig): WorldConfig {
  for (const key of ['items', 'users'] as const) {
    const n = config[key];
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`world config ${key} must be a positive integer, got ${n}`);
  }
  for (const key of ['adShare', 'contentShare'] as const) {
    const share = config[key];
    if (!(share >= 0 && share < 1)) throw new InvalidArgumentError(`world config ${key} must be in [0, 1), got ${share}`);
  }
  if (config.adShare + config.contentShare >= 1) {
    throw new InvalidArgumentError(`world config adShare + contentShare must be below 1, got ${config.adShare} + ${config.contentShare}`);
  }
  if (!Number.isInteger(config.startTime) || config.startTime < 0) {
    throw new InvalidArgumentError(`world config startTime must be epoch milliseconds (a non-negative integer), got ${config.startTime}`);
  }
  return config;
}

/** The world with the internals the traffic simulation reads; callers see it as `World`. */
export class ShopWorld implements World {
  readonly config: WorldConfig;
  readonly items: readonly Item[];
  readonly users: readonly User[];
  readonly categories: readonly CategoryNode[];
  readonly leaves: readonly CategoryNode[];
  readonly catalog: Catalog;
  readonly itemTruths: readonly ItemTruth[];
  readonly userTruths: readonly UserTruth[];
  /** Item indexes per leaf, indexed like `leaves`. */
  readonly itemsByLeaf: readonly number[][];
  private readonly itemIndex: ReadonlyMap<string, number>;
  private readonly userIndex: ReadonlyMap<string, number>;
  private interpreterInstance: QueryInterpreter | undefined;

  constructor(config: WorldConfig) {
    this.config = config;
    const rng = new Rng(config.seed).fork('world');
    this.catalog = buildCatalog(CATALOG_SPEC);
    this.categories = this.catalog.tree;
    this.leaves = this.catalog.tree.flatMap((top) => top.children);
    const latent = new LatentSpace(rng.fork('latent'), this.catalog.leaves);
    const itemContext = {
      catalog: this.catalog,
      latent,
      rng,
      adShare: config.adShare,
      contentShare: config.contentShare,
      startTime: config.startTime,
      leafWeights: this.catalog.leaves.map((leaf) => leaf.spec.weight),
      idWidth: Math.max(5, String(config.items).length),
    };
    const items = Array.from({ length: config.items }, (_, i) => generateItem(itemContext, i));
    const userContext = { catalog: this.catalog, latent, rng, startTime: config.startTime, idWidth: Math.max(5, String(config.users).length) };
    const users = Array.from({ length: config.users }, (_, i) => generateUser(userContext, i));
    this.items = items.map((g) => g.item);
    this.itemTruths = items.map((g) => g.truth);
    this.users = users.map((g) => g.user);
    this.userTruths = users.map((g) => g.truth);
    this.itemIndex = new Map(this.items.map((item, i) => [item.id, i]));
    this.userIndex = new Map(this.users.map((user, i) => [user.id, i]));
    this.itemsByLeaf = this.catalog.leaves.map(() => []);
    this.itemTruths.forEach((truth, i) => this.itemsByLeaf[truth.leafIndex]?.push(i));
  }

  /** The query interpreter over this world's vocabulary, built on first use (it computes pinyin). */
  get interpreter(): QueryInterpreter {
    this.interpreterInstance ??= new QueryInterpreter(this.catalog);
    return this.interpreterInstance;
  }

  leaf(leafId: string): Leaf {
    const leaf = this.catalog.leafById.get(leafId);
    if (leaf === undefined) {
      throw new InvalidArgumentError(`"${leafId}" is not a leaf category; leaves are ${this.catalog.leaves.map((l) => l.id).join(', ')}`);
    }
    return leaf;
  }

  itemTruth(itemId: string): ItemTruth {
    const index = this.itemIndex.get(itemId);
    if (index === undefined) throw new NotFoundError(`item "${itemId}" is not in the world (${this.items.length} items)`);
    return this.itemTruths[index] as ItemTruth;
  }

  userTruth(userId: string): UserTruth {
    const index = this.userIndex.get(userId);
    if (index === undefined) throw new NotFoundError(`user "${userId}" is not in the world (${this.users.length} users)`);
    return this.userTruths[index] as UserTruth;
  }

  relevance(intent: Intent, itemId: string): Relevance {
    this.leaf(intent.leafId);
    const truth = this.itemTruth(itemId);
    return gradeRelevance(intent, truth, (this.items[truth.index] as Item).attributes);
  }

  /** Item index of an external id, or undefined for an id the world does not know. */
  indexOfItem(itemId: string): number | undefined {
    return this.itemIndex.get(itemId);
  }
}

/**
 * The world's internals, for the simulation's own modules.
 * @throws InvalidArgumentError when the world was not made by `generateWorld`.
 */
export function asShopWorld(world: World): ShopWorld {
  if (world instanceof ShopWorld) return world;
  throw new InvalidArgumentError('the world must come from generateWorld(): the simulation needs its internals');
}
