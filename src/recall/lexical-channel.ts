import { createHash } from 'node:crypto';
import type { Catalog, CatalogListener } from '../catalog/index.js';
import { CancelledError, type Item, type RecallChannel, type RecallResult, type StageContext } from '../core/index.js';
import {
  InvertedIndex,
  readIndex,
  writeIndex,
  type FacetRange,
  type IndexConfig,
  type IndexDoc,
  type SynonymRule,
} from '../index/index.js';
import { buildShopLexicon, catalogNames, createPinyinAnalyzer, createShopAnalyzer, type ShopLexicon } from '../text/index.js';

export interface LexicalConfig {
  /** BM25F field weights: a term in the title counts `title` times. */
  weights: { title: number; brand: number; category: number; shop: number; attributes: number; description: number; pinyin: number };
  k1: number;
  b: number;
  /** How many of the query's words must match: a count or a share (`'50%'`, at least 1). Default '50%'. */
  minimumShouldMatch: number | `${number}%`;
  /** Typo tolerance on Latin terms (1 edit from 5 letters, 2 from 9; never on Chinese). Default true. */
  typos: boolean;
  synonyms: SynonymRule[];
}

export const DEFAULT_LEXICAL_CONFIG: LexicalConfig = {
  weights: { title: 3, brand: 2, category: 1.5, shop: 1, attributes: 1, description: 0.5, pinyin: 1 },
  k1: 1.2,
  b: 0.5,
  minimumShouldMatch: '50%',
  typos: true,
  synonyms: [
    { equivalents: ['手机', 'mobile phone', 'smartphone'] },
    { equivalents: ['笔记本电脑', 'laptop', 'notebook'] },
    { equivalents: ['耳机', 'earphones', 'headphones'] },
  ],
};

/** Price bands of the `price` facet (upper bounds, exclusive; the last band is open). */
const PRICE_BANDS = [50, 100, 200, 500, 1_000, 2_000, 5_000];

/**
 * Lexical recall: a BM25F inverted index (`index/`) over the catalog, analysed with the shop analyzer
 * (jieba with the catalog's brands, shops and series kept whole, Porter-stemmed English) plus a pinyin
 * field, kept in step with the catalog by listening to its changes. Request filters apply inside the
 * search; facets (brand, category, price band) are counted over every match.
 *
 * The analyzers' lexicon is taken from the catalog when the index is built: a brand that first
 * appears later is still found (by the dictionary and the bigram fallback), but is kept whole only
 * after the next build (a restart).
 */
export class LexicalChannel implements RecallChannel, CatalogListener {
  readonly name = 'lexical';

  private constructor(
    readonly index: InvertedIndex,
    readonly lexicon: ShopLexicon,
    private readonly config: LexicalConfig,
  ) {}

  /** Builds the index over the catalog's live items, then follows the catalog's changes. */
  static build(catalog: Catalog, config: LexicalConfig = DEFAULT_LEXICAL_CONFIG, options: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): LexicalChannel {
    const items = liveItems(catalog);
    const lexicon = buildShopLexicon(catalogNames(items));
    const index = new InvertedIndex(indexConfig(lexicon, config));
    let done = 0;
    for (let docId = 0; docId < catalog.capacity; docId++) {
      const item = catalog.item(docId);
      if (item === undefined) continue;
      index.add(toDoc(item), docId);
      if (++done % 1_000 === 0) {
        options.onProgress?.(done, items.length);
        if (options.signal?.aborted === true) throw new CancelledError(`indexing stopped after ${done} of ${items.length} items`);
      }
    }
    options.onProgress?.(done, items.length);
    const channel = new LexicalChannel(index, lexicon, config);
    catalog.subscribe(channel);
    return channel;
  }

  /**
   * Loads a snapshot written by `snapshot()` for this same catalog (the caller checks that with
   * {@link lexicalFingerprint}), then follows the catalog's changes.
   * @throws IncompatibleFormatError when the snapshot is of another format or was built with other analyzers.
   */
  static fromSnapshot(catalog: Catalog, bytes: Uint8Array, config: LexicalConfig = DEFAULT_LEXICAL_CONFIG): LexicalChannel {
    const lexicon = buildShopLexicon(catalogNames(liveItems(catalog)));
    const analyzers = indexConfig(lexicon, config).fields.map((f) => f.analyzer);
    const channel = new LexicalChannel(readIndex(bytes, { analyzers }), lexicon, config);
    catalog.subscribe(channel);
    return channel;
  }

  /** The index as snapshot bytes (`index/` format: magic, version, analyzer names). */
  snapshot(): Uint8Array {
    return writeIndex(this.index);
  }

  onUpsert(docId: number, item: Item): void {
    this.index.update(docId, toDoc(item));
  }

  onRemove(docId: number): void {
    this.index.delete(docId);
  }

  recall(context: StageContext, k: number): RecallResult {
    if (context.query.trim() === '') return { candidates: [] };
    const result = this.index.search(context.query, {
      k,
      accept: context.accepts,
      minimumShouldMatch: this.config.minimumShouldMatch,
      facets: [
        { name: 'brand', field: 'brand_kw', size: 10 },
        { name: 'category', field: 'category_kw', depth: 2, size: 10 },
        { name: 'price', field: 'price', ranges: priceRanges() },
      ],
    });
    if (result.warnings.length > 0) context.trace.annotate(this.name, { warnings: result.warnings });
    if (context.trace.detailed) context.trace.annotate(this.name, { units: result.units.map((u) => u.label) });
    return { candidates: result.hits.map((h) => ({ docId: h.docId, score: h.score })), matched: result.total, facets: result.facets ?? {} };
  }
}

function toDoc(item: Item): IndexDoc {
  const attributes = Object.values(item.attributes).flatMap((v) => (typeof v === 'string' ? [v] : []));
  const doc: Record<string, unknown> = {
    title: item.title,
    category: item.categoryPath.join(' '),
    attributes,
    description: item.description,
    pinyin: [item.title, item.brand ?? ''],
    category_kw: item.categoryPath.join('>'),
  };
  if (item.brand !== undefined) {
    doc.brand = item.brand;
    doc.brand_kw = item.brand;
  }
  if (item.shop !== undefined) doc.shop = item.shop;
  if (item.price !== undefined) doc.price = item.price;
  return doc;
}

function priceRanges(): FacetRange[] {
  const ranges: FacetRange[] = PRICE_BANDS.map((to, i) => {
    const from = PRICE_BANDS[i - 1];
    return from === undefined ? { to } : { from, to };
  });
  ranges.push({ from: PRICE_BANDS[PRICE_BANDS.length - 1] });
  return ranges;
}

function liveItems(catalog: Catalog): Item[] {
  const items: Item[] = [];
  for (let docId = 0; docId < catalog.capacity; docId++) {
    const item = catalog.item(docId);
    if (item !== undefined) items.push(item);
  }
  return items;
}

/**
 * What a lexical snapshot depends on: every live item (id, doc id and content) and the configuration.
 * A stored snapshot is used only when this matches; otherwise the index is rebuilt.
 */
export function lexicalFingerprint(catalog: Catalog, config: LexicalConfig): string {
  const hash = createHash('sha256').update(JSON.stringify(config));
  for (let docId = 0; docId < catalog.capacity; docId++) {
    const item = catalog.item(docId);
    if (item !== undefined) hash.update(`${docId}\u0000${JSON.stringify(item)}\u0000`);
  }
  return hash.digest('hex').slice(0, 24);
}

/** The index's fields: the shop analyzer on the item's texts, the pinyin analyzer on title and brand. */
function indexConfig(lexicon: ShopLexicon, config: LexicalConfig): IndexConfig {
  const shop = createShopAnalyzer({ lexicon });
  const pinyin = createPinyinAnalyzer({ lexicon });
  const w = config.weights;
  return {
    fields: [
      { name: 'title', analyzer: shop, weight: w.title },
      { name: 'brand', analyzer: shop, weight: w.brand, b: 0 },
      { name: 'category', analyzer: shop, weight: w.category, b: 0 },
      { name: 'shop', analyzer: shop, weight: w.shop, b: 0 },
      { name: 'attributes', analyzer: shop, weight: w.attributes },
      { name: 'description', analyzer: shop, weight: w.description },
      { name: 'pinyin', analyzer: pinyin, weight: w.pinyin },
    ],
    keywords: [{ name: 'brand_kw' }, { name: 'category_kw', hierarchical: '>' }],
    numbers: [{ name: 'price' }],
    scoring: { k1: config.k1, b: config.b },
    typos: { enabled: config.typos },
    synonyms: config.synonyms,
  };
}
