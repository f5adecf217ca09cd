/**
 * What rerankers may know about an item, by dense doc id. The engine supplies an implementation over
 * its catalog (`CatalogItemAttributes`), so the re-ranking algorithms stay pure functions of a list and
 * this accessor, and tests can hand them a few records.
 */

import { z } from 'zod';
import { categoryKey } from '../catalog/index.js';
import { InvalidArgumentError, type Item, type ItemKind } from '../core/index.js';

/** The categorical attributes rerankers group by (scatter rules, attribute similarity, rules). */
export const GROUP_ATTRIBUTES = ['brand', 'shop', 'category', 'topCategory', 'priceBand', 'kind'] as const;
export type GroupAttribute = (typeof GROUP_ATTRIBUTES)[number];

/** A group attribute in a configuration, with an error that lists the known names. */
export const GroupAttributeSchema = z.enum(GROUP_ATTRIBUTES, {
  error: (issue) => `unknown attribute ${JSON.stringify(issue.input)}, expected one of ${GROUP_ATTRIBUTES.join(', ')}`,
});

export interface ItemAttributes {
  /** The item's external id, undefined when the doc id is not a live item. */
  id(docId: number): string | undefined;
  /**
   * A categorical value: `category` is the leaf category key (`数码>手机`), `topCategory` its root,
   * `priceBand` the band index as text. Undefined when the item has none: such an item never counts as
   * equal to another under that attribute.
   */
  group(docId: number, attribute: GroupAttribute): string | undefined;
  /** An embedding of the item (any dimension, the same for every item), when one exists. */
  vector(docId: number): Float32Array | undefined;
  kind(docId: number): ItemKind | undefined;
  /** When the item was created (epoch ms), when known. */
  createdAt(docId: number): number | undefined;
  /** Expected revenue per thousand impressions, for ads; undefined for other items. */
  eCpm(docId: number): number | undefined;
}

/** Anything that looks items up by doc id: a `Catalog`, or an array in tests. */
export interface ItemSource {
  item(docId: number): Item | undefined;
}

export interface CatalogItemAttributesOptions {
  /**
   * Price bands are geometric: band = floor(log(price) / log(ratio)), so with ratio 2 the items in
   * one band differ in price by at most a factor of 2, whatever the category's price level.
   */
  priceBandRatio: number;
  /**
   * The click-through rate assumed for an ad when no `eCpm` function is given: eCPM = 1000 · ctr · bid.
   * The ranking capability's pCTR replaces it through `eCpm`.
   */
  assumedCtr: number;
}

export const DEFAULT_CATALOG_ITEM_ATTRIBUTES_OPTIONS: CatalogItemAttributesOptions = { priceBandRatio: 2, assumedCtr: 0.02 };

/** The geometric price band of a price (see `priceBandRatio`); undefined for a missing or zero price. */
export function priceBand(price: number | undefined, ratio: number): number | undefined {
  if (price === undefined || !(price > 0)) return undefined;
  return Math.floor(Math.log(price) / Math.log(ratio));
}

/** `ItemAttributes` read from item records; vectors and eCPM from functions the engine passes. */
export class CatalogItemAttributes implements ItemAttributes {
  private readonly options: CatalogItemAttributesOptions;
  private readonly vectorOf: (docId: number) => Float32Array | undefined;
  private readonly eCpmOf: (docId: number, item: Item) => number | undefined;

  /**
   * @param source the items by doc id (a `Catalog`).
   * @param extra `vector` gives embeddings (none by default); `eCpm` replaces 1000 · assumedCtr · bid;
   *   `priceBandRatio` (2) and `assumedCtr` (0.02) as in `DEFAULT_CATALOG_ITEM_ATTRIBUTES_OPTIONS`.
   * @throws InvalidArgumentError when priceBandRatio is not above 1 or assumedCtr is outside [0, 1].
   */
  constructor(
    private readonly source: ItemSource,
    extra: Partial<CatalogItemAttributesOptions> & {
      vector?: (docId: number) => Float32Array | undefined;
      eCpm?: (docId: number, item: Item) => number | undefined;
    } = {},
  ) {
    const options = { ...DEFAULT_CATALOG_ITEM_ATTRIBUTES_OPTIONS };
    if (extra.priceBandRatio !== undefined) options.priceBandRatio = extra.priceBandRatio;
    if (extra.assumedCtr !== undefined) options.assumedCtr = extra.assumedCtr;
    if (!(options.priceBandRatio > 1)) throw new InvalidArgumentError(`priceBandRatio must be above 1, got ${options.priceBandRatio}`);
    if (!(options.assumedCtr >= 0 && options.assumedCtr <= 1)) {
      throw new InvalidArgumentError(`assumedCtr must be in [0, 1], got ${options.assumedCtr}`);
    }
    this.options = options;
    this.vectorOf = extra.vector ?? (() => undefined);
    this.eCpmOf = extra.eCpm ?? ((_docId, item) => (item.bid === undefined ? undefined : 1000 * options.assumedCtr * item.bid));
  }

  id(docId: number): string | undefined {
    return this.source.item(docId)?.id;
  }

  group(docId: number, attribute: GroupAttribute): string | undefined {
    const item = this.source.item(docId);
    if (item === undefined) return undefined;
    switch (attribute) {
      case 'brand':
        return item.brand;
      case 'shop':
        return item.shop;
      case 'category':
        return item.categoryPath.length === 0 ? undefined : categoryKey(item.categoryPath);
      case 'topCategory':
        return item.categoryPath[0];
      case 'priceBand': {
        const band = priceBand(item.price, this.options.priceBandRatio);
        return band === undefined ? undefined : String(band);
      }
      case 'kind':
        return item.kind;
    }
  }

  vector(docId: number): Float32Array | undefined {
    return this.vectorOf(docId);
  }

  kind(docId: number): ItemKind | undefined {
    return this.source.item(docId)?.kind;
  }

  createdAt(docId: number): number | undefined {
    return this.source.item(docId)?.createdAt;
  }

  eCpm(docId: number): number | undefined {
    const item = this.source.item(docId);
    return item === undefined || item.kind !== 'ad' ? undefined : this.eCpmOf(docId, item);
  }
}

/**
 * Codes one attribute's values over a list as small integers, -1 for "no value", so hot loops compare
 * and count integers. Returns the codes ([n]) and how many distinct values there are.
 */
export function internGroups(
  attributes: ItemAttributes,
  docIds: ArrayLike<number>,
  attribute: GroupAttribute,
): { codes: Int32Array; distinct: number } {
  const codes = new Int32Array(docIds.length);
  const seen = new Map<string, number>();
  for (let i = 0; i < docIds.length; i++) {
    const value = attributes.group(docIds[i] as number, attribute);
    if (value === undefined) {
      codes[i] = -1;
      continue;
    }
    let code = seen.get(value);
    if (code === undefined) seen.set(value, (code = seen.size));
    codes[i] = code;
  }
  return { codes, distinct: seen.size };
}
