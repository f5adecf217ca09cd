/**
 * Mixed Han and pinyin input (`hua为`, `华为sh`, `华为sj`): the pinyin strings to look it up by in
 * the romanized and initials key spaces. Each Han character typed is replaced by its readings (all
 * of them: a lone `行` may be `xing` or `hang`), Latin letters and digits stay; the combinations are
 * capped, most common readings first. Candidates found this way are then checked against the input
 * syllable by syllable (`matchesTyped`), which rejects homophones (`hua为` is not `花卫`).
 */

import { isHan, readingsOf } from './romanize.js';

export interface Transliterations {
  /** Han characters as full syllables: look up among romanized keys. */
  full: string[];
  /** Han characters as initials: look up among initials keys. */
  initials: string[];
}

/** The lookups for typed code points (normalised, white space removed), at most `max` of each kind. */
export function transliterations(typed: readonly string[], max: number): Transliterations {
  const fullParts: string[][] = [];
  const initialParts: string[][] = [];
  for (const char of typed) {
    if (!isHan(char)) {
      fullParts.push([char]);
      initialParts.push([char]);
      continue;
    }
    const readings = readingsOf(char);
    const options = readings.length > 0 ? readings : [char];
    fullParts.push(options);
    initialParts.push([...new Set(options.map((r) => r.slice(0, 1)))]);
  }
  return { full: combinations(fullParts, max), initials: combinations(initialParts, max) };
}

/** The cartesian product of the parts, joined, in order of the parts' options, at most `max`. */
function combinations(parts: readonly string[][], max: number): string[] {
  let out = [''];
  for (const options of parts) {
    const next: string[] = [];
    for (const head of out) {
      for (const option of options) {
        if (next.length === max) break;
        next.push(head + option);
      }
    }
    out = next;
  }
  return out;
}
