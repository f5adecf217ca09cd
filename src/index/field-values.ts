import { InvalidArgumentError } from '../core/index.js';

/**
 * The values of one keyword field by doc id (brand, shop, region, attributes, category path), for
 * filters and facets. Values are interned to ids; a doc's first value sits in `first` ([docIds], -1 =
 * none), further values in `rest`. A hierarchical field stores the leaf path only: each path value
 * knows its parent (`数码>手机` → `数码`), so a prefix filter walks up at most depth steps.
 */
export class KeywordValues {
  readonly values: string[] = [];
  /** [values]: parent value id, -1 for a top-level value. */
  parents = new Int32Array(16).fill(-1);
  /** [values]: path depth (1 = top level; 1 for every value of a flat field). */
  depths = new Int32Array(16);
  first: Int32Array = new Int32Array(64).fill(-1);
  readonly rest = new Map<number, Int32Array>();
  private readonly ids = new Map<string, number>();

  constructor(
    readonly name: string,
    readonly separator: string | undefined,
  ) {}

  idOf(value: string): number | undefined {
    return this.ids.get(value);
  }

  /**
   * Sets a doc's values (replacing any). A hierarchical field takes one path: segments or a joined string.
   * @throws InvalidArgumentError for a value that is not a string.
   */
  set(docId: number, raw: unknown): void {
    this.clear(docId);
    const ids = this.parse(raw);
    if (ids.length === 0) return;
    if (docId >= this.first.length) {
      const grown = new Int32Array(Math.max(docId + 1, this.first.length * 2)).fill(-1);
      grown.set(this.first);
      this.first = grown;
    }
    this.first[docId] = ids[0] as number;
    if (ids.length > 1) this.rest.set(docId, Int32Array.from(ids.slice(1)));
  }

  clear(docId: number): void {
    if (docId < this.first.length) this.first[docId] = -1;
    this.rest.delete(docId);
  }

  /** Calls `visit` with each value id of the doc (for a hierarchical field: the leaf only). */
  forEach(docId: number, visit: (valueId: number) => void): void {
    const first = docId < this.first.length ? (this.first[docId] as number) : -1;
    if (first < 0) return;
    visit(first);
    const rest = this.rest.get(docId);
    if (rest !== undefined) for (const id of rest) visit(id);
  }

  /** Replaces the contents with a snapshot's (values, their parents and depths, first value by doc id). */
  restore(values: readonly string[], parents: Int32Array, depths: Int32Array, first: Int32Array): void {
    this.values.length = 0;
    this.ids.clear();
    this.rest.clear();
    values.forEach((v, id) => {
      this.values.push(v);
      this.ids.set(v, id);
    });
    this.parents = new Int32Array(Math.max(16, values.length * 2)).fill(-1);
    this.parents.set(parents);
    this.depths = new Int32Array(Math.max(16, values.length * 2));
    this.depths.set(depths);
    this.first = first;
  }

  private parse(raw: unknown): number[] {
    if (raw === undefined || raw === null) return [];
    if (this.separator !== undefined) {
      const segments = Array.isArray(raw) ? raw.map((s) => this.checkString(s)) : this.checkString(raw).split(this.separator);
      const path = segments.map((s) => s.trim()).filter((s) => s !== '');
      return path.length === 0 ? [] : [this.internPath(path)];
    }
    const list = Array.isArray(raw) ? raw : [raw];
    return [...new Set(list.map((v) => this.checkString(v)))].map((v) => this.intern(v, -1, 1));
  }

  private internPath(path: string[]): number {
    let parent = -1;
    for (let depth = 1; depth <= path.length; depth++) parent = this.intern(path.slice(0, depth).join(this.separator), parent, depth);
    return parent;
  }

  private intern(value: string, parent: number, depth: number): number {
    const known = this.ids.get(value);
    if (known !== undefined) return known;
    const id = this.values.length;
    this.values.push(value);
    this.ids.set(value, id);
    if (id >= this.parents.length) {
      const parents = new Int32Array(this.parents.length * 2).fill(-1);
      parents.set(this.parents);
      this.parents = parents;
      const depths = new Int32Array(this.depths.length * 2);
      depths.set(this.depths);
      this.depths = depths;
    }
    this.parents[id] = parent;
    this.depths[id] = depth;
    return id;
  }

  private checkString(value: unknown): string {
    checkKeywordValue(this.name, value);
    return value as string;
  }
}

/** @throws InvalidArgumentError unless `raw` is absent, a string or an array of strings. */
export function checkKeywordValue(name: string, raw: unknown): void {
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const bad = list.find((v) => typeof v !== 'string');
  if (bad !== undefined) throw new InvalidArgumentError(`keyword field "${name}" takes strings, got ${typeof bad}`);
}

/** @throws InvalidArgumentError unless `raw` is absent or a finite number. */
export function checkNumericValue(name: string, raw: unknown): void {
  if (raw !== undefined && raw !== null && (typeof raw !== 'number' || !Number.isFinite(raw))) {
    throw new InvalidArgumentError(`numeric field "${name}" takes a finite number, got ${typeof raw === 'number' ? raw : typeof raw}`);
  }
}

/** One number per doc id (NaN = none), for range filters and range facets. */
export class NumericValues {
  values: Float64Array = new Float64Array(64).fill(Number.NaN);

  constructor(readonly name: string) {}

  /** @throws InvalidArgumentError for a value that is not a finite number. */
  set(docId: number, raw: unknown): void {
    checkNumericValue(this.name, raw);
    if (docId >= this.values.length) {
      const grown = new Float64Array(Math.max(docId + 1, this.values.length * 2)).fill(Number.NaN);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[docId] = typeof raw === 'number' ? raw : Number.NaN;
  }

  clear(docId: number): void {
    if (docId < this.values.length) this.values[docId] = Number.NaN;
  }

  get(docId: number): number {
    return docId < this.values.length ? (this.values[docId] as number) : Number.NaN;
  }
}
