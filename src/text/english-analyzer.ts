import { stemmer } from 'stemmer';
import type { Analyzer, Token } from './analyzer.js';
import { normalizeText } from './basic-analyzer.js';
import { ENGLISH_STOP_WORDS } from './stop-words.js';

export interface EnglishAnalyzerOptions {
  /** Words dropped before stemming (positions still advance). Default: {@link ENGLISH_STOP_WORDS}; `false` keeps all. */
  stopWords?: ReadonlySet<string> | false;
  /** Porter stemming (the `stemmer` package). Default true. */
  stem?: boolean;
}

// Letters and digits, with inner apostrophes kept so that "don't" is one word (then dropped as a stop word).
const WORDS = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;

/**
 * The English chain: NFKC (full-width to half-width), case folding, words of letters and digits, stop
 * words, Porter stemming. Index and query sides are the same, so `mode` is ignored.
 */
export function englishAnalyzer(options: EnglishAnalyzerOptions = {}): Analyzer {
  const stopWords = options.stopWords === false ? new Set<string>() : (options.stopWords ?? ENGLISH_STOP_WORDS);
  const stem = options.stem ?? true;
  const name = `english:v1:${stem ? 'porter' : 'nostem'}:${options.stopWords === false ? 'nostop' : `stop${stopWords.size}`}`;
  const stemCache = new Map<string, string>();
  const stemmed = (word: string): string => {
    let result = stemCache.get(word);
    if (result === undefined) {
      result = stemmer(word);
      if (stemCache.size < 1_000_000) stemCache.set(word, result);
    }
    return result;
  };
  return {
    name,
    analyze(text: string): Token[] {
      const tokens: Token[] = [];
      let position = 0;
      for (const match of normalizeText(text).matchAll(WORDS)) {
        const word = match[0].replace(/'/g, '');
        if (!stopWords.has(word) && !stopWords.has(match[0])) {
          tokens.push({ term: stem ? stemmed(word) : word, position });
        }
        position++;
      }
      return tokens;
    },
  };
}
