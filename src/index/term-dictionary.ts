import { PostingList } from './posting-list.js';

/**
 * Terms ↔ dense term ids, each with its posting list, its live document frequency and the cached bound
 * MaxScore needs (`maxTfNorm`: the largest BM25F-normalised term frequency over its postings, valid for
 * the norm epoch it was computed in; see `scoring.ts`).
 *
 * For typo matching it also keeps the terms sorted (new terms are merged in lazily, at the next lookup),
 * which `typo-matcher.ts` walks as an implicit trie.
 */
export class TermDictionary {
  readonly terms: string[] = [];
  readonly lists: PostingList[] = [];
  /** [terms]: live docs holding the term. */
  df = new Int32Array(64);
  /** [terms]: MaxScore's per-term bound and the norm epoch it belongs to (-1: not computed). */
  maxTfNorm = new Float64Array(64);
  maxEpoch = new Int32Array(64).fill(-1);
  private readonly ids = new Map<string, number>();
  private sorted: string[] = [];
  private pending: string[] = [];

  get size(): number {
    return this.terms.length;
  }

  idOf(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** The id of `term`, adding it (with an empty posting list) if new. */
  intern(term: string): number {
    const known = this.ids.get(term);
    if (known !== undefined) return known;
    const id = this.terms.length;
    this.ids.set(term, id);
    this.terms.push(term);
    this.lists.push(new PostingList());
    this.pending.push(term);
    if (id >= this.df.length) this.grow(id + 1);
    return id;
  }

  /** All terms ever added, sorted by UTF-16 code units (the order `typo-matcher.ts` walks). */
  sortedTerms(): readonly string[] {
    if (this.pending.length > 0) {
      this.pending.sort(compareCodeUnits);
      this.sorted = mergeSorted(this.sorted, this.pending);
      this.pending = [];
    }
    return this.sorted;
  }

  /** Forgets every cached MaxScore bound (after a change of scoring parameters or a compaction). */
  invalidateBounds(): void {
    this.maxEpoch.fill(-1);
  }

  private grow(needed: number): void {
    const size = Math.max(needed, this.df.length * 2);
    const df = new Int32Array(size);
    df.set(this.df);
    this.df = df;
    const bound = new Float64Array(size);
    bound.set(this.maxTfNorm);
    this.maxTfNorm = bound;
    const epoch = new Int32Array(size).fill(-1);
    epoch.set(this.maxEpoch);
    this.maxEpoch = epoch;
  }
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = (a[i] as string) <= (b[j] as string) ? (a[i++] as string) : (b[j++] as string);
  while (i < a.length) out[k++] = a[i++] as string;
  while (j < b.length) out[k++] = b[j++] as string;
  return out;
}
