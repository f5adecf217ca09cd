/**
 * Splitting normalised text into units: runs of Han characters, and Latin/digit words. A Latin word
 * keeps inner periods between letters or digits (`13.6`, `2.5g`) and drops apostrophes (`l'oreal` →
 * `loreal`), so that version numbers and brand spellings survive as one unit.
 */

export interface TextUnit {
  text: string;
  han: boolean;
}

const NON_HAN_WORD = String.raw`(?:(?!\p{Script=Han})[\p{L}\p{N}])+`;
const UNITS = new RegExp(String.raw`(\p{Script=Han}+)|(${NON_HAN_WORD}(?:[.'’]${NON_HAN_WORD})*)`, 'gu');
const APOSTROPHES = /['’]/g;
const HAN = /\p{Script=Han}/u;

/** The units of already-normalised text, in order. */
export function textUnits(normalized: string): TextUnit[] {
  const units: TextUnit[] = [];
  for (const match of normalized.matchAll(UNITS)) {
    if (match[1] !== undefined) units.push({ text: match[1], han: true });
    else if (match[2] !== undefined) units.push({ text: match[2].replace(APOSTROPHES, ''), han: false });
  }
  return units;
}

/** True when the term contains a Han character (such terms never get typo tolerance, for instance). */
export function hasHan(term: string): boolean {
  return HAN.test(term);
}
