import type { Analyzer, Token } from '../text/analyzer.js';

const STOP = new Set(['the', 'a', 'of', 'and']);

/**
 * A small analyzer for the index's tests and committed fixture, independent of `text/` (whose chains may
 * change): lower case, runs of letters and digits, four stop words dropped (positions still advance),
 * and a plural `s` stripped from words of 4+ letters. Its name is recorded in the fixture: never change
 * what it does under this name.
 */
export function letterAnalyzer(): Analyzer {
  return {
    name: 'index-test:letters:v1',
    analyze(text: string): Token[] {
      const tokens: Token[] = [];
      let position = 0;
      for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
        const word = match[0];
        if (!STOP.has(word)) tokens.push({ term: word.length >= 4 && word.endsWith('s') ? word.slice(0, -1) : word, position });
        position++;
      }
      return tokens;
    },
  };
}
