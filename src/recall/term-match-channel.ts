import type { Catalog, CatalogListener } from '../catalog/index.js';
import type { Candidate, Item, RecallChannel, RecallResult, StageContext } from '../core/index.js';
import { analyze } from '../text/index.js';

export interface TermMatchConfig {
  /**
   * A doc matches when the idf-weighted share of the query's known terms it contains is at least this.
   * 1 is strict AND; lower values let partial matches in, ranked below full ones.
   */
  minCoverage: number;
}

export const DEFAULT_TERM_MATCH_CONFIG: TermMatchConfig = { minCoverage: 0.6 };

/**
 * The foundation's lexical baseline: which of the query's terms an item contains, nothing more.
 *
 * Indexed text: title, brand, shop, category names and description, through `text/`'s basic analyzer
 * (Han bigrams, Latin words). Score: coverage = Σ idf(t) over query terms the doc has ÷ Σ idf(t) over
 * the query terms the index knows, with idf(t) = ln(1 + N / df(t)); terms no doc has are ignored.
 * No term frequencies, no field weights, no typo tolerance, no pinyin: the lexical-recall capability
 * (BM25F) replaces this channel.
 */
export class TermMatchChannel implements RecallChannel, CatalogListener {
  readonly name = 'term-match';
  private readonly postings = new Map<string, Set<number>>();
  private readonly docTerms: (string[] | undefined)[] = [];
  private readonly config: TermMatchConfig;
  private docCount = 0;

  constructor(catalog: Catalog, config: TermMatchConfig = DEFAULT_TERM_MATCH_CONFIG) {
    this.config = config;
    catalog.forEach((docId, item) => this.onUpsert(docId, item, undefined));
    catalog.subscribe(this);
  }

  onUpsert(docId: number, item: Item, previous: Item | undefined): void {
    if (previous !== undefined) this.onRemove(docId);
    const terms = [...new Set(analyze(indexedText(item), { mode: 'index' }))];
    for (const term of terms) {
      let docs = this.postings.get(term);
      if (docs === undefined) this.postings.set(term, (docs = new Set()));
      docs.add(docId);
    }
    this.docTerms[docId] = terms;
    this.docCount++;
  }

  onRemove(docId: number): void {
    const terms = this.docTerms[docId];
    if (terms === undefined) return;
    for (const term of terms) {
      const docs = this.postings.get(term);
      docs?.delete(docId);
      if (docs?.size === 0) this.postings.delete(term);
    }
    this.docTerms[docId] = undefined;
    this.docCount--;
  }

  /** The query's terms as the index sees them, each with its idf (0 for terms no doc has). */
  queryTerms(query: string): { term: string; idf: number }[] {
    const terms = [...new Set(analyze(query, { mode: 'query' }))];
    return terms.map((term) => {
      const df = this.postings.get(term)?.size ?? 0;
      return { term, idf: df === 0 ? 0 : Math.log(1 + this.docCount / df) };
    });
  }

  recall(context: StageContext, k: number): RecallResult {
    const terms = this.queryTerms(context.query).filter((t) => t.idf > 0);
    const totalIdf = terms.reduce((sum, t) => sum + t.idf, 0);
    context.trace.annotate(this.name, { terms: terms.map((t) => ({ term: t.term, idf: round4(t.idf) })) });
    if (terms.length === 0) return { candidates: [], matched: 0 };

    const weight = new Map<number, number>();
    for (const { term, idf } of terms) {
      for (const docId of this.postings.get(term) ?? []) weight.set(docId, (weight.get(docId) ?? 0) + idf);
    }
    const matches: Candidate[] = [];
    const threshold = this.config.minCoverage * totalIdf - 1e-9;
    for (const [docId, sum] of weight) {
      if (sum >= threshold && context.accepts(docId)) matches.push({ docId, score: sum / totalIdf });
    }
    matches.sort((a, b) => b.score - a.score || a.docId - b.docId);
    return { candidates: matches.slice(0, k), matched: matches.length };
  }
}

function indexedText(item: Item): string {
  return [item.title, item.brand ?? '', item.shop ?? '', item.categoryPath.join(' '), item.description].join(' ');
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
