/**
 * The shape of the simulated shop's data tables (categories, brands, series, attributes, regions).
 * The tables themselves sit beside this file, one per top-level category, so the logic files stay short.
 */

/** A name in both languages: `{ zh: '手机', en: 'phones' }`. */
export interface Name {
  zh: string;
  en: string;
}

/** Brand tier: sets the brand's price level (see `TIER_PRICE_FACTOR`). */
export type Tier = 'budget' | 'mid' | 'premium';

/** A model line or a named product of a brand: `Mate 60 Pro`, `小棕瓶`, a book title. */
export interface SeriesSpec extends Name {
  /** Replaces the category's noun in titles: 小棕瓶 is a `特润修护精华露`, not a generic `精华液`. */
  noun?: Name;
  /** An extra name the title template shows as `{extra}` (a book's author). */
  extra?: Name;
  /** Multiplies the brand's price level: Redmi phones cost less than Xiaomi's flagship line. */
  priceFactor?: number;
}

export interface BrandSpec extends Name {
  tier: Tier;
  series: SeriesSpec[];
  /** Province of the brand's flagship store (its items ship from there). */
  region: string;
  /** Relative market share within its categories; 1 when absent. */
  share?: number;
  /** Imported goods: this share of the brand's items carry an English title. */
  englishTitleShare?: number;
}

/** One attribute value; `price` multiplies the item's price (512GB costs more than 128GB). */
export interface AttributeValue extends Name {
  price?: number;
}

export interface AttributeSpec {
  /** The key in `Item.attributes` (English, camelCase). */
  key: string;
  values: AttributeValue[];
  /** Whether shoppers put this attribute into queries (`红色连衣裙`, `哑光口红`). */
  queryable?: boolean;
}

/** A leaf category: what one kind of product is called, costs, looks like in titles. */
export interface LeafSpec extends Name {
  /** Stable id, `digital.phones`. */
  id: string;
  /** Other Chinese words shoppers type for it (`智能手机`, `笔记本`). */
  synonyms: string[];
  /** English words shoppers type for it, lowercase (`phone`, `smartphone`). */
  queryEn: string[];
  /** The generic product noun in titles (`5G手机` / `5G smartphone`). */
  noun: Name;
  /** Relative share of the catalog. */
  weight: number;
  /** Median price of a mid-tier item (CNY) and the log-normal spread around it. */
  price: { median: number; sigma: number };
  /** The most a shopper buys at once (snacks by the bag, phones one at a time). */
  maxQuantity: number;
  brands: BrandSpec[];
  attributes: AttributeSpec[];
  /** Title templates: `{brand}`, `{series}`, `{noun}`, `{extra}` and `{<attribute key>}` are filled in. */
  title: Name;
  /**
   * Shoppers name the series (a book's title, with its author) rather than the brand (the publisher):
   * a brand intent here always names a series, and queries leave the brand out.
   */
  seriesFirst?: boolean;
}

export interface TopCategorySpec extends Name {
  id: string;
  leaves: LeafSpec[];
  /** Names of multi-brand reseller shops in this category, with their province. */
  resellers: { name: string; region: string }[];
}

/** Shorthand for a name whose Chinese and English forms differ. */
export function name(zh: string, en: string = zh): Name {
  return { zh, en };
}

/** Shorthand for a series; the name is the same in both languages unless `en` is given. */
export function series(zh: string, en: string = zh, more: Omit<SeriesSpec, 'zh' | 'en'> = {}): SeriesSpec {
  return { zh, en, ...more };
}

/** Shorthand for attribute values that read the same in both languages (`128GB`, `M`). */
export function same(...values: string[]): AttributeValue[] {
  return values.map((value) => ({ zh: value, en: value }));
}

/** Shorthand for attribute values given as `[zh, en]` pairs. */
export function pairs(...values: [string, string][]): AttributeValue[] {
  return values.map(([zh, en]) => ({ zh, en }));
}
