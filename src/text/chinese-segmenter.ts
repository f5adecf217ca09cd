import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { ShopLexicon } from './shop-lexicon.js';

/**
 * Dictionary segmentation of Han runs with jieba (its default dictionary plus the catalog's words).
 * HMM discovery of new words is off: it guesses differently in a short query than in a long title,
 * and unknown runs are better served by the analyzers' bigram fallback.
 */
export class ChineseSegmenter {
  private constructor(private readonly jieba: Jieba) {}

  /** A segmenter knowing the lexicon's words; instances are shared per lexicon fingerprint. */
  static forLexicon(lexicon: ShopLexicon): ChineseSegmenter {
    let segmenter = CACHE.get(lexicon.fingerprint);
    if (segmenter === undefined) {
      const jieba = Jieba.withDict(dict);
      // A user-dictionary frequency high enough that a catalog name beats splitting it into common words.
      if (lexicon.words.length > 0) jieba.loadDict(Buffer.from(lexicon.words.map((w) => `${w} ${USER_WORD_FREQ}`).join('\n')));
      segmenter = new ChineseSegmenter(jieba);
      if (CACHE.size >= CACHE_LIMIT) CACHE.delete(CACHE.keys().next().value as string);
      CACHE.set(lexicon.fingerprint, segmenter);
    }
    return segmenter;
  }

  /** The words of a run of Han characters, in order, covering it exactly. */
  cut(hanRun: string): string[] {
    return this.jieba.cut(hanRun, false);
  }

  /** The dictionary words inside a longer word (`旗舰店` → `旗舰`), without the word itself. */
  subwords(word: string): string[] {
    if (word.length < 3) return [];
    return this.jieba.cutForSearch(word, false).filter((part) => part !== word && part.length > 1);
  }
}

const USER_WORD_FREQ = 200_000;
const CACHE_LIMIT = 4;
const CACHE = new Map<string, ChineseSegmenter>();
