import { pinyin } from 'pinyin-pro';
import type { Analyzer, AnalyzeMode, Token } from './analyzer.js';
import { normalizeText } from './basic-analyzer.js';
import { ChineseSegmenter } from './chinese-segmenter.js';
import { EMPTY_SHOP_LEXICON, type ShopLexicon } from './shop-lexicon.js';
import { shopWords, type ShopWord } from './shop-words.js';
import { hasHan, textUnits } from './units.js';

export interface PinyinAnalyzerOptions {
  /** The same lexicon as the field's shop analyzer, so words are segmented the same way. Default: none. */
  lexicon?: ShopLexicon;
}

/**
 * Pinyin spellings of Chinese words, for a companion field next to a Chinese one: so `shouji` and
 * `huawei` find `手机` and `华为`.
 *
 * Index side: each Han word becomes its toneless pinyin, syllables joined (`手机` → `shouji`; pinyin-pro
 * picks the reading of polyphonic characters from the word, `重庆` → `chongqing`); a compound becomes
 * the pinyin of its Han parts plus its Latin parts as they are (`小新Pro` → `xiaoxinpro`); an unknown
 * run gives the pinyin of each character bigram. Query side: only Latin words, lower case, unstemmed:
 * Han query text is matched by the Chinese field itself, and converting it here would match homophones.
 */
export function createPinyinAnalyzer(options: PinyinAnalyzerOptions = {}): Analyzer {
  const lexicon = options.lexicon ?? EMPTY_SHOP_LEXICON;
  const segmenter = ChineseSegmenter.forLexicon(lexicon);
  const cache = new Map<string, string>();
  const spell = (han: string): string => {
    let spelled = cache.get(han);
    if (spelled === undefined) {
      spelled = toPinyin(han);
      if (cache.size < 500_000) cache.set(han, spelled);
    }
    return spelled;
  };
  return {
    name: `pinyin:v1:${lexicon.fingerprint}`,
    analyze(text: string, mode: AnalyzeMode): Token[] {
      return mode === 'query' ? latinTokens(text) : indexTokens(shopWords(text, segmenter, lexicon), spell);
    },
  };
}

/** Toneless pinyin of Han text, syllables joined, lower case (`华为` → `huawei`). */
export function toPinyin(han: string): string {
  return pinyin(han, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true }).join('').toLowerCase();
}

function latinTokens(text: string): Token[] {
  const tokens: Token[] = [];
  textUnits(normalizeText(text)).forEach((unit, position) => {
    if (!unit.han) tokens.push({ term: unit.text, position });
  });
  return tokens;
}

function indexTokens(words: readonly ShopWord[], spell: (han: string) => string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (const word of words) {
    if (word.kind === 'han') tokens.push({ term: spell(word.text), position });
    else if (word.kind === 'compound' && hasHan(word.text)) {
      tokens.push({ term: word.parts.map((part) => (hasHan(part) ? spell(part) : part)).join(''), position });
    } else if (word.kind === 'unknown') {
      const chars = Array.from(word.text);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push({ term: spell(`${chars[i]}${chars[i + 1]}`), position: position + i });
      position += chars.length - 1;
    }
    position++;
  }
  return tokens;
}
