/**
 * Text helpers of the simulation: pinyin through pinyin-pro, normalisation for matching, and script
 * tests. Pinyin results are cached: the same few thousand strings come back all the time.
 */

import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;
const ONLY_HAN = /^\p{Script=Han}+$/u;

// Bounded: emptied when full, so a long simulation's stream of new queries cannot grow it forever.
const CACHE_LIMIT = 100_000;
const fullCache = new Map<string, string>();
const initialsCache = new Map<string, string>();

/** Whether `text` (spaces ignored) is Chinese characters only. */
export function isPureHan(text: string): boolean {
  return ONLY_HAN.test(text.replace(/\s+/g, ''));
}

export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Toneless full pinyin of a Chinese string, syllables joined, `ü` written `v` as on a keyboard:
 * `华为手机` → `huaweishouji`. Spaces are dropped; other non-Chinese characters are kept, lowercased.
 */
export function fullPinyin(text: string): string {
  const key = text.replace(/\s+/g, '');
  let out = fullCache.get(key);
  if (out === undefined) {
    out = pinyin(key, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' })
      .join('')
      .toLowerCase();
    if (fullCache.size >= CACHE_LIMIT) fullCache.clear();
    fullCache.set(key, out);
  }
  return out;
}

/** First letters of the pinyin syllables: `华为手机` → `hwsj`. */
export function pinyinInitials(text: string): string {
  const key = text.replace(/\s+/g, '');
  let out = initialsCache.get(key);
  if (out === undefined) {
    out = pinyin(key, { pattern: 'first', toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' })
      .join('')
      .toLowerCase();
    if (initialsCache.size >= CACHE_LIMIT) initialsCache.clear();
    initialsCache.set(key, out);
  }
  return out;
}

/**
 * The form used to match text against text: lowercase, accents folded (`Estée` → `estee`), spaces
 * and apostrophes removed (`L'Oréal` → `loreal`), full-width forms folded (`：` → `:`).
 */
export function matchKey(text: string): string {
  return foldLatin(text).replace(/\s+/g, '');
}

/** How shoppers type Latin names: lowercase, accents folded, apostrophes dropped (`L'Oréal` → `loreal`, `N°5` → `no5`). */
export function typedLatin(text: string): string {
  return foldLatin(text).replace(/\s+/g, ' ').trim();
}

/** Lowercase, accents folded, `°` as `o`, apostrophes dropped; spaces kept. */
export function foldLatin(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/°/g, 'o')
    .replace(/['’]/g, '');
}

/** Fills `{name}` placeholders; a placeholder without a value is dropped with its surrounding spaces. */
export function fillTemplate(template: string, values: Readonly<Record<string, string | undefined>>): string {
  return template
    .replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.])/g, '$1')
    .trim();
}
