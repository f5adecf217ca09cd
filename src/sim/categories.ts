/**
 * The category tree as the world publishes it (`CategoryNode`, names in Chinese, English and pinyin)
 * and the flat list of leaves the generators work with.
 */

import type { BrandSpec, LeafSpec, TopCategorySpec } from './data/index.js';
import { fullPinyin } from './text.js';

/** One node of the category tree; `path` is the Chinese names root first, as in `Item.categoryPath`. */
export interface CategoryNode {
  /** Stable id: `digital` for a top-level category, `digital.phones` for a leaf. */
  id: string;
  zh: string;
  en: string;
  /** Toneless pinyin of the Chinese name, syllables joined (`shouji`). */
  pinyin: string;
  path: string[];
  children: CategoryNode[];
}

/** A leaf category with everything the generators need about it. */
export interface Leaf {
  /** Position in `Catalog.leaves`: the index of per-leaf typed arrays (affinities). */
  index: number;
  id: string;
  /** Position of its top-level category in `Catalog.tops`. */
  topIndex: number;
  top: TopCategorySpec;
  spec: LeafSpec;
  path: string[];
  /** Cumulative brand shares, for drawing a brand in proportion to its share. */
  brandShares: number[];
  brandsByZh: ReadonlyMap<string, BrandSpec>;
}

export interface Catalog {
  tops: readonly TopCategorySpec[];
  tree: CategoryNode[];
  leaves: Leaf[];
  leafById: ReadonlyMap<string, Leaf>;
}

/** Builds the published tree and the leaf index from the data tables. */
export function buildCatalog(tops: readonly TopCategorySpec[]): Catalog {
  const leaves: Leaf[] = [];
  const tree = tops.map((top, topIndex): CategoryNode => {
    const children = top.leaves.map((spec): CategoryNode => {
      const path = [top.zh, spec.zh];
      leaves.push({
        index: leaves.length,
        id: spec.id,
        topIndex,
        top,
        spec,
        path,
        brandShares: spec.brands.map((brand) => brand.share ?? 1),
        brandsByZh: new Map(spec.brands.map((brand) => [brand.zh, brand])),
      });
      return { id: spec.id, zh: spec.zh, en: spec.en, pinyin: fullPinyin(spec.zh), path, children: [] };
    });
    return { id: top.id, zh: top.zh, en: top.en, pinyin: fullPinyin(top.zh), path: [top.zh], children };
  });
  return { tops, tree, leaves, leafById: new Map(leaves.map((leaf) => [leaf.id, leaf])) };
}
