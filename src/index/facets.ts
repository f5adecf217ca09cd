import { InvalidArgumentError } from '../core/index.js';
import type { FilterFields } from './filters.js';

/** A numeric bucket: from (inclusive) to (exclusive); open ends allowed. */
export interface FacetRange {
  from?: number;
  to?: number;
  /** Default: `from-to`, `<to`, `>=from`. */
  label?: string;
}

/**
 * Counts per value over the matched docs:
 *   { name, field, depth?, size? }   a keyword field of the index (hierarchical: the prefixes of `depth`
 *                                    segments, default 1)
 *   { name, field, ranges }          a numeric field of the index, one count per range, in order
 *   { name, values, size? }          the caller's accessor: doc id → value(s)
 * `size` keeps the most frequent values (default 10); ties by value.
 */
export type FacetRequest =
  | { name: string; field: string; depth?: number; size?: number }
  | { name: string; field: string; ranges: readonly FacetRange[] }
  | { name: string; values: (docId: number) => string | readonly string[] | undefined; size?: number };

export interface FacetCount {
  value: string;
  count: number;
}

export const DEFAULT_FACET_SIZE = 10;

/** Counts facets doc by doc: `add` for each match, then `result`. */
export interface FacetCollector {
  add(docId: number): void;
  result(): Record<string, FacetCount[]>;
}

/**
 * Builds the collector for a set of facet requests.
 * @throws InvalidArgumentError for a field the index does not hold or a duplicate facet name.
 */
export function facetCollector(requests: readonly FacetRequest[], fields: FilterFields): FacetCollector {
  const names = new Set<string>();
  const parts = requests.map((request) => {
    if (names.has(request.name)) throw new InvalidArgumentError(`facet "${request.name}" is requested twice`);
    names.add(request.name);
    if ('values' in request) return accessorFacet(request.values, request.size ?? DEFAULT_FACET_SIZE);
    if ('ranges' in request) return rangeFacet(request.field, request.ranges, fields);
    return keywordFacet(request.field, request.depth ?? 1, request.size ?? DEFAULT_FACET_SIZE, fields);
  });
  return {
    add: (docId) => {
      for (const part of parts) part.add(docId);
    },
    result: () => Object.fromEntries(requests.map((r, i) => [r.name, (parts[i] as Part).done()])),
  };
}

interface Part {
  add: (docId: number) => void;
  done: () => FacetCount[];
}

function part(add: (docId: number) => void, done: () => FacetCount[]): Part {
  return { add, done };
}

function top(counts: Map<string, number>, size: number): FacetCount[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, size);
}

function accessorFacet(values: (docId: number) => string | readonly string[] | undefined, size: number): Part {
  const counts = new Map<string, number>();
  const bump = (v: string) => counts.set(v, (counts.get(v) ?? 0) + 1);
  return part(
    (docId) => {
      const v = values(docId);
      if (typeof v === 'string') bump(v);
      else if (v !== undefined) for (const one of new Set(v)) bump(one);
    },
    () => top(counts, size),
  );
}

function keywordFacet(field: string, depth: number, size: number, fields: FilterFields): Part {
  const values = fields.keywords.get(field);
  if (values === undefined) throw new InvalidArgumentError(`facet on "${field}": not a keyword field of this index`);
  const counts = new Float64Array(values.values.length);
  const hierarchical = values.separator !== undefined;
  return part(
    (docId) =>
      values.forEach(docId, (id) => {
        let v = id;
        while (hierarchical && v >= 0 && (values.depths[v] as number) > depth) v = values.parents[v] as number;
        if (v >= 0 && (!hierarchical || values.depths[v] === depth)) counts[v] = (counts[v] as number) + 1;
      }),
    () => {
      const map = new Map<string, number>();
      counts.forEach((c, id) => c > 0 && map.set(values.values[id] as string, c));
      return top(map, size);
    },
  );
}

function rangeFacet(field: string, ranges: readonly FacetRange[], fields: FilterFields): Part {
  const numbers = fields.numbers.get(field);
  if (numbers === undefined) throw new InvalidArgumentError(`range facet on "${field}": not a numeric field of this index`);
  const counts = new Float64Array(ranges.length);
  return part(
    (docId) => {
      const v = numbers.get(docId);
      ranges.forEach((r, i) => {
        if (v >= (r.from ?? -Infinity) && v < (r.to ?? Infinity)) counts[i] = (counts[i] as number) + 1;
      });
    },
    () => ranges.map((r, i) => ({ value: r.label ?? rangeLabel(r), count: counts[i] as number })),
  );
}

function rangeLabel(range: FacetRange): string {
  if (range.from === undefined && range.to === undefined) return 'all';
  if (range.from === undefined) return `<${range.to}`;
  if (range.to === undefined) return `>=${range.from}`;
  return `${range.from}-${range.to}`;
}
