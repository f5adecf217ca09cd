/**
 * How simulated shoppers turn an intent into the text they type: broad (`手机`) or narrow (`华为手机`,
 * `华为 mate 60 pro`, `小棕瓶精华`), in Chinese characters, full pinyin (`huaweishouji`), pinyin initials
 * (`hwsj`) or English (`huawei phone`), sometimes with a typo (`iphnoe`); and the prefix they type
 * before taking a suggestion.
 */

import type { Rng } from '../core/index.js';
import type { Leaf } from './categories.js';
import type { SeriesSpec } from './data/index.js';
import type { Intent, PriceBand } from './intent.js';
import type { InputStyle } from './users.js';
import { fullPinyin, hasHan, isPureHan, pinyinInitials, typedLatin } from './text.js';

export type QueryStyle = 'hanzi' | 'pinyin' | 'initials' | 'english';

export interface WrittenQuery {
  /** What the user typed. */
  text: string;
  /** The script actually used: pinyin and initials fall back to `hanzi` when the Chinese form has Latin in it. */
  style: QueryStyle;
  /** The Chinese form the text was derived from (equal to `text` for `hanzi`). */
  hanzi: string;
  typo: boolean;
}

export interface WriteQueryOptions {
  rng: Rng;
  leaf: Leaf;
  intent: Intent;
  style: QueryStyle;
  /** Chance of one typo in a Latin-script query; 0 when absent. */
  typoRate?: number;
}

const PRICE_WORDS: Record<PriceBand, { zh: string[]; en: string[] }> = {
  budget: { zh: ['平价', '便宜'], en: ['cheap', 'budget'] },
  premium: { zh: ['高端', '旗舰'], en: ['premium', 'luxury'] },
};

/** The words shoppers put in front of a category to ask for a price band, in both languages. */
export function priceWords(band: PriceBand): { zh: readonly string[]; en: readonly string[] } {
  return PRICE_WORDS[band];
}

/** Draws the script of the next query from the user's input style. */
export function drawStyle(rng: Rng, style: InputStyle): QueryStyle {
  const styles: QueryStyle[] = ['hanzi', 'pinyin', 'initials', 'english'];
  return styles[rng.weightedIndex([style.hanzi, style.pinyin, style.initials, style.english])] as QueryStyle;
}

/** Renders an intent as typed text in the requested style (see `WrittenQuery.style` for fallbacks). */
export function writeQuery({ rng, leaf, intent, style, typoRate = 0 }: WriteQueryOptions): WrittenQuery {
  const hanzi = hanziQuery(rng, leaf, intent);
  let text = hanzi;
  let used: QueryStyle = 'hanzi';
  if (style === 'english') {
    text = englishQuery(rng, leaf, intent);
    used = 'english';
  } else if (style !== 'hanzi' && isPureHan(hanzi)) {
    const initials = style === 'initials' && [...hanzi].length >= 2;
    text = initials ? pinyinInitials(hanzi) : fullPinyin(hanzi);
    used = initials ? 'initials' : 'pinyin';
  }
  if ((used === 'english' || used === 'pinyin') && rng.bool(typoRate)) {
    const typed = applyTypo(rng, text);
    if (typed !== undefined) return { text: typed, style: used, hanzi, typo: true };
  }
  return { text, style: used, hanzi, typo: false };
}

function hanziQuery(rng: Rng, leaf: Leaf, intent: Intent): string {
  const leafWord = leaf.spec.synonyms.length > 0 && rng.bool(0.3) ? rng.pick(leaf.spec.synonyms) : leaf.spec.zh;
  const tokens: string[] = [];
  const series = seriesOf(leaf, intent);
  if (series !== undefined && leaf.spec.seriesFirst === true) {
    tokens.push(series.zh);
    if (series.extra !== undefined && rng.bool(0.3)) tokens.push(series.extra.zh);
  } else if (series !== undefined) {
    const form = rng.next();
    if (form < 0.5 && intent.brand !== undefined) tokens.push(intent.brand, series.zh);
    else if (form < 0.8 || series.zh.includes(leafWord)) tokens.push(series.zh);
    else tokens.push(series.zh, leafWord);
  } else {
    if (intent.brand !== undefined) tokens.push(intent.brand);
    if (intent.priceBand !== undefined) tokens.push(rng.pick(PRICE_WORDS[intent.priceBand].zh));
    if (intent.attribute !== undefined) tokens.push(intent.attribute.value);
    tokens.push(leafWord);
  }
  const lowercase = rng.bool(0.7);
  return joinChinese(rng, lowercase ? tokens.map((t) => t.toLowerCase()) : tokens);
}

/** Chinese words run together (sometimes with a space); Latin words are set off by spaces. */
function joinChinese(rng: Rng, tokens: readonly string[]): string {
  let out = tokens[0] ?? '';
  for (const token of tokens.slice(1)) {
    const latinBoundary = /[A-Za-z0-9]$/.test(out) || /^[A-Za-z0-9]/.test(token);
    out += latinBoundary || rng.bool(0.2) ? ` ${token}` : token;
  }
  return out.trim();
}

function englishQuery(rng: Rng, leaf: Leaf, intent: Intent): string {
  const brand = intent.brand === undefined ? undefined : leaf.brandsByZh.get(intent.brand);
  const noun = rng.pick(leaf.spec.queryEn);
  const tokens: string[] = [];
  const series = seriesOf(leaf, intent);
  if (series !== undefined && leaf.spec.seriesFirst === true) {
    tokens.push(series.en);
    if (series.extra !== undefined && rng.bool(0.3)) tokens.push(series.extra.en);
  } else if (series !== undefined && brand !== undefined) {
    const form = rng.next();
    if (form < 0.5) tokens.push(brand.en, series.en);
    else if (form < 0.8) tokens.push(series.en);
    else tokens.push(series.en, noun);
  } else {
    if (brand !== undefined) tokens.push(brand.en);
    if (intent.priceBand !== undefined) tokens.push(rng.pick(PRICE_WORDS[intent.priceBand].en));
    const attribute = intent.attribute && leaf.spec.attributes.find((a) => a.key === intent.attribute?.key)?.values.find((v) => v.zh === intent.attribute?.value);
    if (attribute !== undefined) tokens.push(attribute.en);
    tokens.push(noun);
  }
  return typedLatin(tokens.join(' '));
}

function seriesOf(leaf: Leaf, intent: Intent): SeriesSpec | undefined {
  if (intent.series === undefined || intent.brand === undefined) return undefined;
  return leaf.brandsByZh.get(intent.brand)?.series.find((s) => s.zh === intent.series);
}

/** Keys around each letter on a QWERTY keyboard: a slipped finger lands on one of them. */
const NEIGHBOUR_KEYS: Readonly<Record<string, string>> = {
  q: 'wa', w: 'qes', e: 'wrd', r: 'etf', t: 'ryg', y: 'tuh', u: 'yij', i: 'uok', o: 'ipl', p: 'ol',
  a: 'qsz', s: 'adw', d: 'sfe', f: 'dgr', g: 'fht', h: 'gjy', j: 'hku', k: 'jli', l: 'kop',
  z: 'asx', x: 'zcs', c: 'xvd', v: 'cbf', b: 'vng', n: 'bmh', m: 'nj',
};

/**
 * One edit (swap of neighbours, deletion, doubling, or a slipped key) inside a word of 5+ letters,
 * never on its first letter: `iphone` → `iphnoe`. Undefined when no word is long enough.
 */
export function applyTypo(rng: Rng, text: string): string | undefined {
  const words = text.split(' ');
  const long = words.flatMap((word, i) => (/^[a-z]{5,}$/.test(word) ? [i] : []));
  if (long.length === 0) return undefined;
  const w = rng.pick(long);
  const word = words[w] as string;
  const at = rng.intBetween(1, word.length - 2);
  const here = word[at] as string;
  const next = word[at + 1] as string;
  const op = rng.int(4);
  let typo: string;
  if (op === 0 && here !== next) typo = word.slice(0, at) + next + here + word.slice(at + 2);
  else if (op === 1) typo = word.slice(0, at) + word.slice(at + 1);
  else if (op === 2) typo = word.slice(0, at) + here + word.slice(at);
  else typo = word.slice(0, at) + rng.pick([...(NEIGHBOUR_KEYS[here] ?? 'e')]) + word.slice(at + 1);
  words[w] = typo;
  return words.join(' ');
}

/**
 * What the user has typed when they look at suggestions: the first 1-3 characters of a Chinese query
 * (or, with a pinyin keyboard, the first letters of its pinyin), or the first 2-6 letters of a Latin one.
 */
export function typedPrefix(rng: Rng, query: WrittenQuery): string {
  const text = query.text;
  if (hasHan(text)) {
    const leadingHan = /^\p{Script=Han}+/u.exec(text)?.[0];
    if (leadingHan !== undefined && rng.bool(0.3)) {
      const pinyin = fullPinyin(leadingHan);
      return pinyin.slice(0, rng.intBetween(Math.min(2, pinyin.length), Math.min(6, pinyin.length)));
    }
    const chars = [...text];
    return chars.slice(0, rng.intBetween(1, Math.min(3, chars.length))).join('').trim() || (chars[0] as string);
  }
  const k = rng.intBetween(Math.min(2, text.length), Math.min(6, text.length));
  return text.slice(0, k).trim() || text.slice(0, 1);
}
