import { InvalidArgumentError } from '../core/index.js';
import type { ResolvedField } from './config.js';
import type { PostingEntry } from './posting-list.js';

/**
 * Analyses one doc's text fields into per-term posting entries, reusing its buffers from doc to doc
 * (indexing allocates per distinct term, not per token).
 *
 * Tokens are gathered as parallel arrays (term number, field, position), then counting-sorted by term
 * number; fields are analysed in order and positions come ascending within a field, so each term's
 * tokens end up grouped by field with ascending positions, as postings store them.
 */
export class DocBuilder {
  /** [fields]: distinct token positions per field (the BM25F length). */
  readonly lengths: Int32Array;
  private readonly localIds = new Map<string, number>();
  private localTerms: string[] = [];
  private tokenTerm = new Int32Array(256);
  private tokenField = new Int32Array(256);
  private tokenPosition = new Int32Array(256);
  private tokenCount = 0;
  private readonly entry: PostingEntry;

  constructor(private readonly fields: readonly ResolvedField[]) {
    this.lengths = new Int32Array(fields.length);
    const n = fields.length;
    this.entry = { fieldCount: 0, fields: new Int32Array(n), tfs: new Int32Array(n), positionStarts: new Int32Array(n), positions: new Int32Array(0) };
  }

  /**
   * Analyses the text fields of `doc`: each is a string, an array of strings (analysed as lines), or absent.
   * @throws InvalidArgumentError for a text field holding anything else.
   */
  analyze(doc: Readonly<Record<string, unknown>>): void {
    this.localIds.clear();
    this.localTerms = [];
    this.tokenCount = 0;
    this.fields.forEach((field, f) => {
      const value = doc[field.name];
      const text = textOf(field.name, value);
      const start = this.tokenCount;
      if (text !== '') for (const token of field.analyzer.analyze(text, 'index')) this.push(token.term, f, token.position);
      this.lengths[f] = this.sortField(start);
    });
  }

  /** The distinct terms of the analysed doc (index = local term number). */
  get terms(): readonly string[] {
    return this.localTerms;
  }

  /**
   * Calls `visit` with each distinct term's posting entry (valid only during the call) and its total
   * frequency over fields.
   */
  forEachEntry(visit: (local: number, entry: PostingEntry, totalFreq: number) => void): void {
    const n = this.localTerms.length;
    // Counting sort of tokens by local term (stable: field order, then position order, are kept).
    const starts = new Int32Array(n + 1);
    for (let t = 0; t < this.tokenCount; t++) {
      const next = (this.tokenTerm[t] as number) + 1;
      starts[next] = (starts[next] as number) + 1;
    }
    for (let i = 0; i < n; i++) starts[i + 1] = (starts[i + 1] as number) + (starts[i] as number);
    const order = new Int32Array(this.tokenCount);
    const fill = starts.slice(0, n);
    for (let t = 0; t < this.tokenCount; t++) {
      const local = this.tokenTerm[t] as number;
      const at = fill[local] as number;
      order[at] = t;
      fill[local] = at + 1;
    }
    const entry = this.entry;
    if (entry.positions.length < this.tokenCount) entry.positions = new Int32Array(this.tokenCount * 2);
    for (let local = 0; local < n; local++) {
      entry.fieldCount = 0;
      let k = 0;
      for (let j = starts[local] as number; j < (starts[local + 1] as number); j++) {
        const t = order[j] as number;
        const field = this.tokenField[t] as number;
        const position = this.tokenPosition[t] as number;
        const e = entry.fieldCount - 1;
        if (e < 0 || entry.fields[e] !== field) {
          entry.fields[entry.fieldCount] = field;
          entry.tfs[entry.fieldCount] = 0;
          entry.positionStarts[entry.fieldCount] = k;
          entry.fieldCount++;
        } else if (entry.positions[k - 1] === position) {
          continue; // the same term twice at one position (e.g. a word and its pinyin spelled alike)
        }
        entry.positions[k++] = position;
        entry.tfs[entry.fieldCount - 1] = (entry.tfs[entry.fieldCount - 1] as number) + 1;
      }
      visit(local, entry, k);
    }
  }

  private push(term: string, field: number, position: number): void {
    let local = this.localIds.get(term);
    if (local === undefined) {
      local = this.localTerms.length;
      this.localIds.set(term, local);
      this.localTerms.push(term);
    }
    if (this.tokenCount === this.tokenTerm.length) this.growTokens();
    this.tokenTerm[this.tokenCount] = local;
    this.tokenField[this.tokenCount] = field;
    this.tokenPosition[this.tokenCount] = position;
    this.tokenCount++;
  }

  /** Sorts the field's tokens by position if the analyzer emitted them out of order; returns the distinct positions. */
  private sortField(start: number): number {
    let sorted = true;
    for (let t = start + 1; t < this.tokenCount; t++) if ((this.tokenPosition[t] as number) < (this.tokenPosition[t - 1] as number)) sorted = false;
    if (!sorted) {
      const idx = Array.from({ length: this.tokenCount - start }, (_, i) => start + i);
      idx.sort((a, b) => (this.tokenPosition[a] as number) - (this.tokenPosition[b] as number) || a - b);
      const terms = idx.map((i) => this.tokenTerm[i] as number);
      const positions = idx.map((i) => this.tokenPosition[i] as number);
      this.tokenTerm.set(terms, start);
      this.tokenPosition.set(positions, start);
    }
    let distinct = 0;
    for (let t = start; t < this.tokenCount; t++) if (t === start || this.tokenPosition[t] !== this.tokenPosition[t - 1]) distinct++;
    return distinct;
  }

  private growTokens(): void {
    const size = this.tokenTerm.length * 2;
    for (const key of ['tokenTerm', 'tokenField', 'tokenPosition'] as const) {
      const grown = new Int32Array(size);
      grown.set(this[key]);
      this[key] = grown;
    }
  }
}

function textOf(field: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('\n');
  throw new InvalidArgumentError(`text field "${field}" takes a string or an array of strings, got ${typeof value}`);
}
