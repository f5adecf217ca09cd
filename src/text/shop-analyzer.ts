import { stemmer } from 'stemmer';
import type { Analyzer, AnalyzeMode, Token } from './analyzer.js';
import { ChineseSegmenter } from './chinese-segmenter.js';
import { EMPTY_SHOP_LEXICON, type ShopLexicon } from './shop-lexicon.js';
import { shopWords, type ShopWord } from './shop-words.js';
import { ENGLISH_STOP_WORDS } from './stop-words.js';
import { hasHan } from './units.js';

export interface ShopAnalyzerOptions {
  /** Names to keep whole (brands, shops, series). Default: none. */
  lexicon?: ShopLexicon;
  /** Porter stemming of Latin words. Default true. */
  stem?: boolean;
  /** Latin stop words. Default {@link ENGLISH_STOP_WORDS}; `false` keeps all. */
  stopWords?: ReadonlySet<string> | false;
}

/**
 * The Chinese + English chain for product text. NFKC (full-width → half-width), case folding; Han runs
 * segmented by jieba with the catalog's names in its dictionary; catalog compounds such as `Mate 60`
 * emitted as one term (`mate60`); runs of characters the dictionary does not know fall back to
 * character bigrams; Latin words lose stop words and are Porter-stemmed.
 *
 * The index side emits more than the query side, each extra term at its word's position: the parts of
 * a compound, the dictionary words inside a long word (`旗舰店` → `旗舰`), the single characters of Han
 * words and unknown runs. So a query of one character, or of part of a name, still matches.
 */
export function createShopAnalyzer(options: ShopAnalyzerOptions = {}): Analyzer {
  const lexicon = options.lexicon ?? EMPTY_SHOP_LEXICON;
  const segmenter = ChineseSegmenter.forLexicon(lexicon);
  const stem = options.stem ?? true;
  const stopWords = options.stopWords === false ? new Set<string>() : (options.stopWords ?? ENGLISH_STOP_WORDS);
  const latin = (word: string): string | undefined => (stopWords.has(word) ? undefined : stem ? stemmer(word) : word);
  const name = `shop:v1:${lexicon.fingerprint}:${stem ? 'porter' : 'nostem'}:${options.stopWords === false ? 'nostop' : `stop${stopWords.size}`}`;
  return {
    name,
    analyze(text: string, mode: AnalyzeMode): Token[] {
      const tokens: Token[] = [];
      let position = 0;
      for (const word of shopWords(text, segmenter, lexicon)) {
        position = emitWord({ word, mode, position, tokens, latin, segmenter });
      }
      return tokens;
    },
  };
}

interface EmitInput {
  word: ShopWord;
  mode: AnalyzeMode;
  position: number;
  tokens: Token[];
  latin: (word: string) => string | undefined;
  segmenter: ChineseSegmenter;
}

/** Pushes the word's tokens and returns the next free position. */
function emitWord({ word, mode, position, tokens, latin, segmenter }: EmitInput): number {
  const push = (term: string, at: number) => tokens.push({ term, position: at });
  switch (word.kind) {
    case 'latin': {
      const term = latin(word.text);
      if (term !== undefined) push(term, position);
      return position + 1;
    }
    case 'compound': {
      // An all-Latin compound is stemmed like a Latin word, so `SK-II` and a typed `skii` agree.
      push(hasHan(word.text) ? word.text : (latin(word.text) ?? word.text), position);
      if (mode === 'query') return position + 1;
      word.parts.forEach((part, i) => {
        emitWord({ word: partWord(part), mode, position: position + i, tokens, latin, segmenter });
      });
      return position + word.parts.length;
    }
    case 'han': {
      push(word.text, position);
      if (mode === 'index' && word.text.length > 1) {
        for (const sub of segmenter.subwords(word.text)) push(sub, position);
        for (const char of word.text) push(char, position);
      }
      return position + 1;
    }
    case 'unknown': {
      const chars = Array.from(word.text);
      for (let i = 0; i < chars.length; i++) {
        if (i + 1 < chars.length) push(`${chars[i]}${chars[i + 1]}`, position + i);
        if (mode === 'index') push(chars[i] as string, position + i);
      }
      return position + chars.length;
    }
  }
}

function partWord(part: string): ShopWord {
  return hasHan(part) ? { kind: 'han', text: part } : { kind: 'latin', text: part };
}
