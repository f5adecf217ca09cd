/**
 * Pinyin forms of a query, the keys Chinese input is completed by. A user typing `华为手机` may be at
 * `华为`, `huawei`, `hw`, `huaweishou`, `华为sh` or `hua为`; the completion index keys every query by
 * its text, its full pinyin and its initials, and mixed input is matched syllable by syllable
 * (`matchesTyped`). Readings come from pinyin-pro, in the context of the whole query (so `重庆` is
 * `chongqing`, `银行` is `yinhang`); `ü` is typed `v` (every pinyin IME's convention).
 */

import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;
const LATIN_OR_DIGIT = /[a-z0-9]/;

export interface Romanization {
  /** Per code point of the text, what is typed for it: the pinyin of a Han character, other characters as they are, '' for white space. */
  syllables: string[];
  /** The syllables joined: `华为 mate60` → `huaweimate60`. */
  full: string;
  /** The first letter of each Han character's syllable, other characters as they are: `华为 mate60` → `hwmate60`. */
  initials: string;
}

/** True when the text holds at least one Han character. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/** True for a code point that is a Han character. */
export function isHan(char: string): boolean {
  return HAN.test(char);
}

/**
 * The pinyin forms of an already normalised text (see `normalizeText`). Text without Han characters
 * romanises to itself with white space removed.
 */
export function romanize(text: string): Romanization {
  const chars = Array.from(text);
  const syllables = hasHan(text) ? hanSyllables(text, chars) : chars.map(spaceless);
  let full = '';
  let initials = '';
  for (let i = 0; i < chars.length; i++) {
    const syllable = syllables[i] as string;
    full += syllable;
    initials += isHan(chars[i] as string) ? syllable.slice(0, 1) : syllable;
  }
  return { syllables, full, initials };
}

function hanSyllables(text: string, chars: string[]): string[] {
  // Characters with a single toneless reading need no context: read them from a cache, and ask
  // pinyin-pro for the whole text (its phrase dictionary picks readings in context) only when a
  // character has several (行, 长, 重, 乐, 的, ...). Most queries need no context at all.
  const cached = chars.map((c) => (isHan(c) ? onlyReading(c) : spaceless(c)));
  if (cached.every((s) => s !== undefined)) return cached;
  const readings = pinyin(text, { toneType: 'none', type: 'array', v: true, toneSandhi: false });
  // pinyin-pro gives one element per code point in its default (spaced) mode; if a future version
  // groups characters, fall back to reading each character on its own (losing only the context).
  const aligned = readings.length === chars.length ? readings : chars.map((c) => readingsOf(c)[0] ?? c);
  return aligned.map((reading, i) => (isHan(chars[i] as string) ? reading.toLowerCase() : spaceless(chars[i] as string)));
}

/** Han character → its toneless reading when it has only one, `undefined` when it has several. */
const SINGLE_READING = new Map<string, string | undefined>();

function onlyReading(char: string): string | undefined {
  if (SINGLE_READING.has(char)) return SINGLE_READING.get(char);
  const readings = readingsOf(char);
  const only = readings.length === 1 ? readings[0] : readings.length === 0 ? char : undefined;
  SINGLE_READING.set(char, only);
  return only;
}

function spaceless(char: string): string {
  return char === ' ' ? '' : char;
}

/** Every toneless reading of one Han character (`行` → `xing`, `hang`, `heng`), most common first. */
export function readingsOf(char: string): string[] {
  const all = pinyin(char, { toneType: 'none', type: 'array', v: true, multiple: true }).map((r) => r.toLowerCase());
  return [...new Set(all)];
}

/**
 * Whether `typed` (normalised, white space removed) is how a user could begin typing a query whose
 * characters read `syllables`: each Han character typed as itself, as its full syllable or as its
 * initial, the last syllable possibly unfinished; other characters as themselves. So `hua为sh`,
 * `华为sj`, `huaweisj` and `hwshouji` all begin `华为手机`. An NFA over (character, offset in its
 * syllable); at most a few dozen states.
 */
export function matchesTyped(typed: readonly string[], chars: readonly string[], syllables: readonly string[]): boolean {
  // States are positions `j * stride + k`: at character j, k letters into its syllable.
  const stride = 1 + maxLength(syllables);
  let states = new Set<number>([skipEmpty(0, syllables) * stride]);
  for (const t of typed) {
    const next = new Set<number>();
    for (const state of states) step(state, t, { chars, syllables, stride, next });
    if (next.size === 0) return false;
    states = next;
  }
  return true;
}

function step(state: number, t: string, ctx: { chars: readonly string[]; syllables: readonly string[]; stride: number; next: Set<number> }): void {
  const { chars, syllables, stride, next } = ctx;
  const j = Math.floor(state / stride);
  const k = state % stride;
  if (j >= chars.length) return;
  const syllable = syllables[j] as string;
  const advance = () => next.add(skipEmpty(j + 1, syllables) * stride);
  // A character is always typable as itself; only a Han character has a syllable to spell.
  if (k === 0 && chars[j] === t) advance();
  if (!isHan(chars[j] as string) || !LATIN_OR_DIGIT.test(t) || syllable[k] !== t) return;
  if (k + 1 === syllable.length) advance();
  else next.add(j * stride + k + 1);
  // Jianpin: a Han character may be typed as its initial alone.
  if (k === 0) advance();
}

function skipEmpty(j: number, syllables: readonly string[]): number {
  let i = j;
  while (i < syllables.length && (syllables[i] as string).length === 0) i++;
  return i;
}

function maxLength(syllables: readonly string[]): number {
  let max = 0;
  for (const s of syllables) if (s.length > max) max = s.length;
  return max;
}
