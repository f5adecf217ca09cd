/**
 * The keys a query is completed by, in three key spaces, and the syllables kept to check mixed input.
 *
 *   text       the normalised text and every merged spelling      华为 手机, 华为手机   iphone 15
 *   romanized  full pinyin, other characters kept, no spaces        huaweishouji        iphone15
 *   initials   first letter per Han character, no spaces           hwsj                (none)
 *
 * A romanized key is kept only when it differs from the text (so `iphone` has none), an initials
 * key only for text with Han characters. Mixed input (`hua为`, `华为sh`, `华wei手j`) has no keys of
 * its own: it is looked up by its pinyin transliteration in the romanized and initials spaces and
 * each candidate is checked syllable by syllable (see `matchesTyped`). Keying every mixed form
 * would take 2(n - 1) more keys for a query of n characters.
 */

import { hasHan, romanize, type Romanization } from './romanize.js';

/** The keys of one query (normalised text): its text, its merged spellings, and its romanized forms. */
export function suggestionKeys(
  text: string,
  variants: readonly string[] = [],
  romanization: Romanization = romanize(text),
): { text: string[]; romanized?: string; initials?: string } {
  const { full, initials } = romanization;
  const keys: { text: string[]; romanized?: string; initials?: string } = { text: [text, ...variants] };
  if (full !== text && full !== '') keys.romanized = full;
  if (hasHan(text) && initials !== full) keys.initials = initials;
  return keys;
}

/**
 * The syllables of Han queries, packed: query e's code points have syllable lengths
 * lengths[charStart[e], charStart[e + 1]) and their letters are pool[poolStart[e], poolStart[e + 1]).
 * Queries without Han characters have none (empty ranges). A syllable is at most six letters (or
 * one character), so a byte holds its length.
 */
export class SyllableTable {
  private readonly charStart: Uint32Array;
  private readonly lengths: Uint8Array;
  private readonly poolStart: Uint32Array;
  private readonly pool: string;

  constructor(perEntry: readonly (readonly string[] | undefined)[]) {
    this.charStart = new Uint32Array(perEntry.length + 1);
    this.poolStart = new Uint32Array(perEntry.length + 1);
    let chars = 0;
    let letters = 0;
    perEntry.forEach((syllables, e) => {
      chars += syllables?.length ?? 0;
      letters += syllables?.reduce((n, s) => n + s.length, 0) ?? 0;
      this.charStart[e + 1] = chars;
      this.poolStart[e + 1] = letters;
    });
    this.lengths = new Uint8Array(chars);
    const parts: string[] = [];
    perEntry.forEach((syllables, e) => {
      syllables?.forEach((s, i) => (this.lengths[(this.charStart[e] as number) + i] = s.length));
      if (syllables !== undefined) parts.push(syllables.join(''));
    });
    this.pool = parts.join('');
  }

  /** The syllable typed for each code point of query e's text; undefined for a query without Han. */
  syllablesOf(e: number): string[] | undefined {
    const start = this.charStart[e] as number;
    const end = this.charStart[e + 1] as number;
    if (start === end) return undefined;
    const out: string[] = [];
    let at = this.poolStart[e] as number;
    for (let i = start; i < end; i++) {
      const length = this.lengths[i] as number;
      out.push(this.pool.slice(at, at + length));
      at += length;
    }
    return out;
  }
}
