/**
 * The foundation's analyzer: Unicode NFKC (which also folds full-width forms to half-width), lower
 * case, then runs of Han characters and runs of other letters/digits. Latin/digit runs are one token
 * each; a Han run gives its character bigrams (and, when indexing, its single characters too, so a
 * one-character query such as `茶` can match).
 *
 * This is deliberately simple and named as such: no dictionary segmentation, no stemming, no pinyin.
 * The lexical-recall capability replaces it with configurable analysis chains (jieba, stemming, pinyin).
 */

// A run of Han characters, or a run of other letters and digits (Han is a letter too, hence the lookahead).
const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

/** NFKC, lower case, white space collapsed: the form queries and titles are compared in. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface AnalyzeOptions {
  /** Index side also emits single Han characters; query side only bigrams (unless the run is one character). */
  mode: 'index' | 'query';
}

/** The tokens of `text`, in order, repeats kept. */
export function analyze(text: string, options: AnalyzeOptions): string[] {
  const tokens: string[] = [];
  for (const match of normalizeText(text).matchAll(RUNS)) {
    const han = match[1];
    if (han !== undefined) pushHan(tokens, han, options.mode);
    else if (match[2] !== undefined) tokens.push(match[2]);
  }
  return tokens;
}

function pushHan(tokens: string[], run: string, mode: AnalyzeOptions['mode']): void {
  const chars = Array.from(run);
  if (chars.length === 1 || mode === 'index') tokens.push(...chars);
  for (let i = 0; i + 1 < chars.length; i++) tokens.push(`${chars[i]}${chars[i + 1]}`);
}
