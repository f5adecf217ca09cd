/**
 * Reads a query back into the intents it may express, using the shop's vocabulary: category names and
 * synonyms, brand and series names in Chinese, English and pinyin, queryable attribute values and
 * price words. Simulated users use it to judge whether a suggestion fits what they want; the baseline
 * backends use it as their (typo-intolerant) query understanding.
 *
 * Matching is greedy longest-match from left to right over `matchKey` forms (spaces removed), so
 * `headphones` reads as headphones, not as `phone`, and `iphone15pro` as that series, not `iphone15`.
 * Chinese words and their pinyin match anywhere (`huaweishouji`); an English word must end where a
 * typed word ends, so `original snack` does not read as the series `Originals`.
 */

import type { Catalog } from './categories.js';
import type { Intent, PriceBand } from './intent.js';
import { priceWords } from './query-writer.js';
import { foldLatin, fullPinyin, isPureHan, matchKey } from './text.js';

type Sense =
  | { kind: 'leaf'; leafId: string }
  | { kind: 'brand'; leafId: string; brand: string }
  | { kind: 'series'; leafId: string; brand: string; series: string }
  | { kind: 'attribute'; leafId: string; key: string; value: string }
  | { kind: 'price'; band: PriceBand };

/** How an intent read from a query compares with the intent a user holds. */
export interface IntentFit {
  /** Same category, and nothing the two intents ask for contradicts the other. */
  compatible: boolean;
  /** The query asks for something the user did not (a brand for a bare `手机` intent). */
  narrower: boolean;
  /** The user asks for something the query leaves out. */
  broader: boolean;
}

const MIN_LATIN_KEY = 3;
const MIN_HAN_KEY = 2;
const LATIN_LETTER = /[a-z]/;

export class QueryInterpreter {
  /** First character of a key → keys starting with it, longest first. */
  private readonly keysByFirst = new Map<string, string[]>();
  private readonly senses = new Map<string, Sense[]>();
  /** Keys from Chinese words or their pinyin, which may end inside a typed word. */
  private readonly matchAnywhere = new Set<string>();
  private readonly cache = new Map<string, Intent[]>();

  constructor(catalog: Catalog) {
    for (const leaf of catalog.leaves) {
      const spec = leaf.spec;
      for (const word of [spec.zh, spec.en, ...spec.synonyms, ...spec.queryEn]) this.addWithPinyin(word, { kind: 'leaf', leafId: leaf.id });
      for (const brand of spec.brands) {
        for (const word of [brand.zh, brand.en]) this.addWithPinyin(word, { kind: 'brand', leafId: leaf.id, brand: brand.zh });
        for (const s of brand.series) {
          const sense: Sense = { kind: 'series', leafId: leaf.id, brand: brand.zh, series: s.zh };
          for (const word of [s.zh, s.en, s.extra?.zh, s.extra?.en]) if (word !== undefined) this.addWithPinyin(word, sense);
        }
      }
      for (const attribute of spec.attributes.filter((a) => a.queryable === true)) {
        for (const value of attribute.values) {
          const sense: Sense = { kind: 'attribute', leafId: leaf.id, key: attribute.key, value: value.zh };
          for (const word of [value.zh, value.en]) this.addWithPinyin(word, sense);
        }
      }
    }
    for (const band of ['budget', 'premium'] as const) {
      for (const word of [...priceWords(band).zh, ...priceWords(band).en]) this.addWithPinyin(word, { kind: 'price', band });
    }
    for (const keys of this.keysByFirst.values()) keys.sort((a, b) => b.length - a.length);
  }

  /**
   * The intents a query may express, one per category it points to (`华为` alone points to five),
   * with the brand, series, attribute and price band it names in that category. Empty when nothing
   * in the query is shop vocabulary (a typo, another language).
   */
  read(query: string): readonly Intent[] {
    let intents = this.cache.get(query);
    if (intents === undefined) {
      intents = this.resolve(this.scan(query));
      this.cache.set(query, intents);
    }
    return intents;
  }

  /** How well the best reading of `query` fits `intent`; `compatible` is false when none shares its category. */
  fit(query: string, intent: Intent): IntentFit {
    let best: IntentFit = { compatible: false, narrower: false, broader: false };
    for (const read of this.read(query)) {
      const fit = compareIntents(read, intent);
      if (fit.compatible && (!best.compatible || score(fit) > score(best))) best = fit;
    }
    return best;
  }

  private scan(query: string): Sense[] {
    // The spaceless key, and where the typed words end in it.
    let key = '';
    const wordEnds = new Set<number>();
    for (const char of foldLatin(query)) {
      if (/\s/.test(char)) wordEnds.add(key.length);
      else key += char;
    }
    const endsWord = (end: number): boolean => end === key.length || wordEnds.has(end) || !LATIN_LETTER.test(key[end] as string) || !LATIN_LETTER.test(key[end - 1] as string);
    const found: Sense[] = [];
    let i = 0;
    while (i < key.length) {
      const match = this.keysByFirst.get(key[i] as string)?.find((k) => key.startsWith(k, i) && (this.matchAnywhere.has(k) || endsWord(i + k.length)));
      if (match === undefined) {
        i++;
        continue;
      }
      found.push(...(this.senses.get(match) ?? []));
      i += match.length;
    }
    return found;
  }

  private resolve(senses: readonly Sense[]): Intent[] {
    const named = (kind: Sense['kind']): Set<string> => new Set(senses.flatMap((s) => (s.kind === kind && 'leafId' in s ? [s.leafId] : [])));
    // Categories named outright win; otherwise those implied by a series, then a brand, then an attribute.
    let leaves = named('leaf');
    for (const kind of ['series', 'brand', 'attribute'] as const) if (leaves.size === 0) leaves = named(kind);
    const band = senses.find((s): s is Extract<Sense, { kind: 'price' }> => s.kind === 'price')?.band;
    return [...leaves].map((leafId) => {
      const intent: Intent = { leafId };
      const here = senses.filter((s): s is Exclude<Sense, { kind: 'price' }> => s.kind !== 'price' && s.leafId === leafId);
      const brand = here.find((s) => s.kind === 'brand')?.brand;
      if (brand !== undefined) intent.brand = brand;
      const series = here.filter((s): s is Extract<Sense, { kind: 'series' }> => s.kind === 'series' && (brand === undefined || s.brand === brand));
      const first = series[0];
      if (first !== undefined) {
        intent.series = first.series;
        // A series name several brands use (`西湖龙井`) pins no brand by itself.
        if (series.every((s) => s.brand === first.brand)) intent.brand = first.brand;
      }
      const attribute = here.find((s) => s.kind === 'attribute');
      if (attribute !== undefined) intent.attribute = { key: attribute.key, value: attribute.value };
      if (band !== undefined) intent.priceBand = band;
      return intent;
    });
  }

  private addWithPinyin(word: string, sense: Sense): void {
    this.add(word, sense);
    if (isPureHan(word)) this.add(fullPinyin(word), sense, { pinyin: true });
  }

  private add(word: string, sense: Sense, from: { pinyin: boolean } = { pinyin: false }): void {
    const key = matchKey(word);
    const latin = /^[\x20-\x7e]+$/.test(key);
    if (key.length < (latin ? MIN_LATIN_KEY : MIN_HAN_KEY)) return;
    if (from.pinyin || !latin) this.matchAnywhere.add(key);
    const senses = this.senses.get(key);
    if (senses === undefined) {
      this.senses.set(key, [sense]);
      const first = key[0] as string;
      const keys = this.keysByFirst.get(first) ?? [];
      keys.push(key);
      this.keysByFirst.set(first, keys);
    } else if (!senses.some((s) => sameSense(s, sense))) {
      senses.push(sense);
    }
  }
}

function sameSense(a: Sense, b: Sense): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Exact fits first, then broader (a shopper takes `手机` for `华为手机` more readily than the reverse). */
function score(fit: IntentFit): number {
  return (fit.narrower ? 0 : 2) + (fit.broader ? 0 : 1);
}

/** Compares the intent read from a query with the intent a user holds. */
export function compareIntents(read: Intent, held: Intent): IntentFit {
  const none: IntentFit = { compatible: false, narrower: false, broader: false };
  if (read.leafId !== held.leafId) return none;
  const clash = <T>(a: T | undefined, b: T | undefined): boolean => a !== undefined && b !== undefined && a !== b;
  const attributeClash = read.attribute !== undefined && held.attribute !== undefined && read.attribute.key === held.attribute.key && read.attribute.value !== held.attribute.value;
  if (clash(read.brand, held.brand) || clash(read.series, held.series) || clash(read.priceBand, held.priceBand) || attributeClash) return none;
  const asks = (intent: Intent): string[] =>
    [intent.brand && 'brand', intent.series && 'series', intent.attribute && `attribute:${intent.attribute.key}`, intent.priceBand && 'price'].filter((x): x is string => typeof x === 'string');
  const readAsks = asks(read);
  const heldAsks = asks(held);
  return {
    compatible: true,
    narrower: readAsks.some((a) => !heldAsks.includes(a)),
    broader: heldAsks.some((a) => !readAsks.includes(a)),
  };
}
