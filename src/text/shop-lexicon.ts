import { createHash } from 'node:crypto';
import type { Item } from '../core/index.js';
import { normalizeText } from './basic-analyzer.js';
import { textUnits } from './units.js';

/**
 * The words of a catalog that analysis must keep whole: brands, shops, series and other names. Han
 * names go to the segmenter's user dictionary; names of several units (`Mate 60`, `小新Pro 14`) become
 * compounds, emitted as one term (`mate60`, `小新pro14`) when their units appear in sequence; a Latin
 * name is a compound too, so `SK-II` is read as the brand `skii`.
 */
export interface ShopLexicon {
  /** Han-bearing words for the segmenter's user dictionary (also the Han parts of compounds). */
  readonly words: readonly string[];
  /** Multi-unit names, by their units joined without spaces. */
  readonly compounds: ReadonlySet<string>;
  /** Every character prefix of every compound, so compound matching stops as soon as it cannot succeed. */
  readonly compoundPrefixes: ReadonlySet<string>;
  /** Changes whenever the words or compounds change; part of the analyzer's name. */
  readonly fingerprint: string;
}

export interface CatalogNamesOptions {
  /** Attribute keys whose values are names to keep whole. Default `['series']`. */
  attributes?: readonly string[];
  /** Category path segments are names too. Default true. */
  categories?: boolean;
}

export const DEFAULT_CATALOG_NAMES_OPTIONS: Required<CatalogNamesOptions> = { attributes: ['series'], categories: true };

/** The brand, shop, category and named-attribute values of a catalog, each once. */
export function catalogNames(items: Iterable<Item>, options: CatalogNamesOptions = {}): string[] {
  const { attributes, categories } = { ...DEFAULT_CATALOG_NAMES_OPTIONS, ...options };
  const names = new Set<string>();
  for (const item of items) {
    if (item.brand !== undefined) names.add(item.brand);
    if (item.shop !== undefined) names.add(item.shop);
    if (categories) for (const segment of item.categoryPath) names.add(segment);
    for (const key of attributes) {
      const value = item.attributes?.[key];
      if (typeof value === 'string') names.add(value);
    }
  }
  return [...names];
}

/** A lexicon from names (any order, repeats allowed); the result does not depend on their order. */
export function buildShopLexicon(names: Iterable<string>): ShopLexicon {
  const words = new Set<string>();
  const compounds = new Set<string>();
  for (const name of names) {
    const units = textUnits(normalizeText(name));
    for (const unit of units) if (unit.han && unit.text.length > 1) words.add(unit.text);
    // A Latin name written in pieces (`SK-II` for `SKII`) is matched by joining the pieces too.
    const single = units[0];
    if (units.length > 1) compounds.add(units.map((unit) => unit.text).join(''));
    else if (units.length === 1 && single !== undefined && !single.han && single.text.length >= 3) compounds.add(single.text);
  }
  const compoundPrefixes = new Set<string>();
  for (const compound of compounds) {
    for (let end = 1; end <= compound.length; end++) compoundPrefixes.add(compound.slice(0, end));
  }
  const sortedWords = [...words].sort();
  const sortedCompounds = [...compounds].sort();
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([sortedWords, sortedCompounds]))
    .digest('hex')
    .slice(0, 12);
  return { words: sortedWords, compounds, compoundPrefixes, fingerprint };
}

/** A lexicon with no names: plain dictionary segmentation. */
export const EMPTY_SHOP_LEXICON: ShopLexicon = buildShopLexicon([]);
