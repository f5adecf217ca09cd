import { InvalidArgumentError } from '../core/index.js';
import type { KeywordValues, NumericValues } from './field-values.js';

/**
 * A filter over the keyword and numeric fields the index holds, evaluated per candidate doc (no
 * precomputed doc lists, so it is always current):
 *   { field, anyOf }      keyword value in the list; on a hierarchical field a value is a path prefix
 *   { field, min?, max? } numeric range, both ends inclusive; a doc without a value never passes
 *   { all } / { any } / { not }  combinations
 */
export type IndexFilter =
  | { field: string; anyOf: readonly string[] }
  | { field: string; min?: number; max?: number }
  | { all: readonly IndexFilter[] }
  | { any: readonly IndexFilter[] }
  | { not: IndexFilter };

/** A set of doc ids as bits: [⌈docs / 32⌉] words, doc d is bit d % 32 of word d >> 5. */
export class DocBitset {
  words: Uint32Array;

  constructor(size = 0) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  static of(docIds: Iterable<number>): DocBitset {
    const set = new DocBitset();
    for (const d of docIds) set.add(d);
    return set;
  }

  add(docId: number): void {
    const w = docId >>> 5;
    if (w >= this.words.length) {
      const grown = new Uint32Array(Math.max(w + 1, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    this.words[w] = (this.words[w] as number) | (1 << (docId & 31));
  }

  has(docId: number): boolean {
    const w = docId >>> 5;
    return w < this.words.length && (((this.words[w] as number) >>> (docId & 31)) & 1) === 1;
  }
}

/** What a caller may pass to restrict matches: a predicate or a bitset over doc ids. */
export type DocAcceptor = ((docId: number) => boolean) | DocBitset;

export interface FilterFields {
  keywords: ReadonlyMap<string, KeywordValues>;
  numbers: ReadonlyMap<string, NumericValues>;
}

/**
 * Compiles a filter into a predicate over doc ids.
 * @throws InvalidArgumentError for a field the index does not hold, or a filter of the wrong kind for it.
 */
export function compileFilter(filter: IndexFilter, fields: FilterFields): (docId: number) => boolean {
  if ('all' in filter) {
    const parts = filter.all.map((f) => compileFilter(f, fields));
    return (d) => parts.every((p) => p(d));
  }
  if ('any' in filter) {
    const parts = filter.any.map((f) => compileFilter(f, fields));
    return (d) => parts.some((p) => p(d));
  }
  if ('not' in filter) {
    const part = compileFilter(filter.not, fields);
    return (d) => !part(d);
  }
  if ('anyOf' in filter) {
    const values = fields.keywords.get(filter.field);
    if (values === undefined) throw new InvalidArgumentError(`filter on "${filter.field}": not a keyword field of this index`);
    return keywordPredicate(values, filter.anyOf);
  }
  const numbers = fields.numbers.get(filter.field);
  if (numbers === undefined) throw new InvalidArgumentError(`range filter on "${filter.field}": not a numeric field of this index`);
  const min = filter.min ?? -Infinity;
  const max = filter.max ?? Infinity;
  if (Number.isNaN(min) || Number.isNaN(max)) throw new InvalidArgumentError(`range filter on "${filter.field}": min and max must be numbers`);
  return (d) => {
    const v = numbers.get(d);
    return v >= min && v <= max;
  };
}

function keywordPredicate(values: KeywordValues, anyOf: readonly string[]): (docId: number) => boolean {
  const allowed = new Uint8Array(values.values.length);
  let any = false;
  for (const value of anyOf) {
    const id = values.idOf(value);
    if (id !== undefined) {
      allowed[id] = 1;
      any = true;
    }
  }
  if (!any) return () => false;
  const hierarchical = values.separator !== undefined;
  return (d) => {
    let hit = false;
    values.forEach(d, (id) => {
      for (let v = id; v >= 0 && !hit; v = hierarchical ? (values.parents[v] as number) : -1) if (allowed[v] === 1) hit = true;
    });
    return hit;
  };
}

/** A predicate from an acceptor (undefined accepts every doc). */
export function toPredicate(acceptor: DocAcceptor | undefined): ((docId: number) => boolean) | undefined {
  if (acceptor === undefined || typeof acceptor === 'function') return acceptor;
  return (d) => acceptor.has(d);
}
