// text/: text analysis shared by indexes, suggestions and query handling.
export type { Analyzer, AnalyzeMode, Token } from './analyzer.js';
export { analyze, normalizeText, type AnalyzeOptions } from './basic-analyzer.js';
export { ChineseSegmenter } from './chinese-segmenter.js';
export { englishAnalyzer, type EnglishAnalyzerOptions } from './english-analyzer.js';
export { createPinyinAnalyzer, toPinyin, type PinyinAnalyzerOptions } from './pinyin-analyzer.js';
export { createShopAnalyzer, type ShopAnalyzerOptions } from './shop-analyzer.js';
export {
  buildShopLexicon,
  catalogNames,
  DEFAULT_CATALOG_NAMES_OPTIONS,
  EMPTY_SHOP_LEXICON,
  type CatalogNamesOptions,
  type ShopLexicon,
} from './shop-lexicon.js';
export { ENGLISH_STOP_WORDS } from './stop-words.js';
export { hasHan, textUnits, type TextUnit } from './units.js';
