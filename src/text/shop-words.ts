import { normalizeText } from './basic-analyzer.js';
import type { ChineseSegmenter } from './chinese-segmenter.js';
import type { ShopLexicon } from './shop-lexicon.js';
import { textUnits } from './units.js';

/**
 * The word stream shared by the shop analyzers: Han runs segmented, catalog compounds joined, and
 * runs of single Han characters (words the dictionary does not know) kept together for the bigram
 * fallback.
 */
export type ShopWord =
  | { kind: 'latin'; text: string }
  | { kind: 'han'; text: string }
  | { kind: 'compound'; text: string; parts: string[] }
  /** Two or more consecutive single Han characters the dictionary could not group. */
  | { kind: 'unknown'; text: string };

interface RawWord {
  text: string;
  han: boolean;
  /** Index of the text unit the word came from: an unknown run never spans a space or a Latin word. */
  unit: number;
}

const MAX_COMPOUND_PARTS = 8;

export function shopWords(text: string, segmenter: ChineseSegmenter, lexicon: ShopLexicon): ShopWord[] {
  const raw: RawWord[] = [];
  textUnits(normalizeText(text)).forEach((unit, index) => {
    if (unit.han) for (const word of segmenter.cut(unit.text)) raw.push({ text: word, han: true, unit: index });
    else raw.push({ ...unit, unit: index });
  });
  const words: ShopWord[] = [];
  let i = 0;
  while (i < raw.length) {
    const end = compoundEnd(raw, i, lexicon);
    if (end > i + 1) {
      const parts = raw.slice(i, end).map((word) => word.text);
      words.push({ kind: 'compound', text: parts.join(''), parts });
      i = end;
      continue;
    }
    const word = raw[i] as RawWord;
    if (!word.han) {
      words.push({ kind: 'latin', text: word.text });
      i++;
      continue;
    }
    let runEnd = i;
    while (runEnd < raw.length && raw[runEnd]?.unit === word.unit && raw[runEnd]?.text.length === 1) runEnd++;
    if (runEnd - i >= 2) {
      words.push({ kind: 'unknown', text: raw.slice(i, runEnd).map((w) => w.text).join('') });
      i = runEnd;
    } else {
      words.push({ kind: 'han', text: word.text });
      i++;
    }
  }
  return words;
}

/** The end (exclusive) of the longest compound starting at `start`, or -1. */
function compoundEnd(raw: readonly RawWord[], start: number, lexicon: ShopLexicon): number {
  if (lexicon.compounds.size === 0) return -1;
  let joined = '';
  let best = -1;
  for (let end = start; end < raw.length && end - start < MAX_COMPOUND_PARTS; end++) {
    joined += (raw[end] as RawWord).text;
    if (!lexicon.compoundPrefixes.has(joined)) break;
    if (end > start && lexicon.compounds.has(joined)) best = end + 1;
  }
  return best;
}
