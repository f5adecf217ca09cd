import { IncompatibleFormatError, InvalidArgumentError } from '../core/index.js';
import type { RawFeatures, RawValue } from './feature-context.js';
import { FeatureSpecSchema, type FeatureSpecEntry, type FeatureSpecInput } from './feature-spec.js';
import { parseOrThrow } from '../core/validate.js';

/** One sample as sparse features: parallel arrays, one entry per active feature. */
export interface SparseRow {
  /** The field (spec entry) of each feature. */
  fields: number[];
  /** Global feature index, in [0, featureCount). */
  indices: number[];
  values: number[];
}

/** A spec entry with what fitting learned; `offset` and `size` place its features in the global index space. */
export type FittedField = { name: string; offset: number; size: number } & (
  | { type: 'numeric'; log1p: boolean; clip?: [number, number]; edges: number[]; mean: number; std: number; bucketed: boolean }
  | { type: 'categorical'; vocab: string[]; hashBuckets: number }
  | { type: 'sequence'; vocab: string[]; maxLength: number }
  | { type: 'cross'; of: [string, string]; hashBuckets: number }
);

export interface FeaturizerJson {
  format: 'quarry-featurizer';
  version: 1;
  fields: FittedField[];
}

const FORMAT_VERSION = 1;
const STANDARD_CLIP = 5;

/**
 * Raw features → sparse rows, with parameters fitted on training data only. The fitted featurizer is
 * saved beside the model (`toJSON`) and serving loads it (`fromJSON`), so both sides transform alike.
 *
 * Per field: a bucketed numeric gives one-hot buckets plus a missing bucket; a plain numeric gives its
 * standardised value plus a missing indicator; a categorical gives its vocabulary (or hash) index, an
 * out-of-vocabulary and a missing feature; a sequence gives the mean-pooled one-hot of its elements;
 * a cross hashes the pair of its two fields' values.
 */
export class Featurizer {
  private readonly vocabIndex: Map<string, number>[];
  private readonly byName: Map<string, number>;

  private constructor(readonly fields: readonly FittedField[]) {
    this.vocabIndex = fields.map(
      (f) => new Map<string, number>(f.type === 'categorical' || f.type === 'sequence' ? f.vocab.map((v, i) => [v, i]) : []),
    );
    this.byName = new Map(fields.map((f, i) => [f.name, i]));
  }

  /** Total number of features over all fields. */
  get featureCount(): number {
    const last = this.fields[this.fields.length - 1];
    return last === undefined ? 0 : last.offset + last.size;
  }

  get fieldCount(): number {
    return this.fields.length;
  }

  /**
   * Fits the spec on training rows (iterated once).
   * @throws InvalidArgumentError when the spec is invalid or there are no rows.
   */
  static fit(specInput: readonly FeatureSpecInput[], rows: Iterable<RawFeatures>): Featurizer {
    const spec = parseOrThrow(FeatureSpecSchema, specInput, 'feature spec');
    const collectors = spec.map((entry) => new FieldCollector(entry));
    let count = 0;
    for (const row of rows) {
      for (const collector of collectors) collector.observe(row[collector.entry.name]);
      count++;
    }
    if (count === 0) throw new InvalidArgumentError('cannot fit a featurizer on zero rows');
    let offset = 0;
    const fields = collectors.map((collector) => {
      const field = collector.fit(offset);
      offset += field.size;
      return field;
    });
    return new Featurizer(fields);
  }

  /** @throws IncompatibleFormatError for another format or version. */
  static fromJSON(json: unknown): Featurizer {
    const value = json as Partial<FeaturizerJson> | null;
    if (value?.format !== 'quarry-featurizer' || !Array.isArray(value.fields)) {
      throw new IncompatibleFormatError('not a Quarry featurizer (format "quarry-featurizer" expected)');
    }
    if (value.version !== FORMAT_VERSION) {
      throw new IncompatibleFormatError(`featurizer format version ${String(value.version)} is not supported (this build reads ${FORMAT_VERSION})`);
    }
    return new Featurizer(value.fields);
  }

  toJSON(): FeaturizerJson {
    return { format: 'quarry-featurizer', version: FORMAT_VERSION, fields: [...this.fields] };
  }

  /** The sparse row of one sample. */
  transform(raw: RawFeatures): SparseRow {
    const row: SparseRow = { fields: [], indices: [], values: [] };
    for (let f = 0; f < this.fields.length; f++) this.encodeField(this.fields[f] as FittedField, f, raw, row);
    return row;
  }

  /** A readable name of a global feature index (`brand=华为`, `price#3`), for reports and explanations. */
  describe(index: number): string {
    const field = this.fields.find((f) => index >= f.offset && index < f.offset + f.size);
    if (field === undefined) throw new InvalidArgumentError(`feature ${index} is outside [0, ${this.featureCount})`);
    const local = index - field.offset;
    if (local === field.size - 1) return `${field.name}=<missing>`;
    switch (field.type) {
      case 'categorical':
      case 'sequence':
        return field.type === 'categorical' && field.hashBuckets > 0 ? `${field.name}#${local}` : `${field.name}=${field.vocab[local] ?? '<other>'}`;
      case 'numeric':
        return field.bucketed ? `${field.name}#${local}` : field.name;
      case 'cross':
        return `${field.name}#${local}`;
    }
  }

  // Hot path (serving scores every candidate through it): no closures, which tsx's keepNames makes costly.
  private encodeField(field: FittedField, f: number, raw: RawFeatures, row: SparseRow): void {
    const missing = field.size - 1;
    switch (field.type) {
      case 'numeric': {
        const x = numericValue(raw[field.name], field);
        if (x === undefined) pushFeature(row, f, field.offset + missing, 1);
        else if (field.bucketed) pushFeature(row, f, field.offset + upperBound(field.edges, x), 1);
        else pushFeature(row, f, field.offset, Math.max(-STANDARD_CLIP, Math.min(STANDARD_CLIP, (x - field.mean) / field.std)));
        return;
      }
      case 'categorical': {
        const value = categoryOf(raw[field.name]);
        let local = missing;
        if (value !== undefined) local = field.hashBuckets > 0 ? hash32(value) % field.hashBuckets : (this.vocabIndex[f]?.get(value) ?? field.vocab.length);
        pushFeature(row, f, field.offset + local, 1);
        return;
      }
      case 'sequence':
        this.encodeSequence(field, f, raw[field.name], row);
        return;
      case 'cross': {
        const a = this.crossPart(field.of[0], raw);
        const b = this.crossPart(field.of[1], raw);
        const local = a === undefined || b === undefined ? missing : hash32(`${a}\u0000${b}`) % field.hashBuckets;
        pushFeature(row, f, field.offset + local, 1);
        return;
      }
    }
  }

  private encodeSequence(field: FittedField & { type: 'sequence' }, f: number, value: RawValue, row: SparseRow): void {
    const elements = Array.isArray(value) ? (value as readonly string[]) : [];
    const n = Math.min(elements.length, field.maxLength);
    if (n === 0) return pushFeature(row, f, field.offset + field.size - 1, 1);
    const vocab = this.vocabIndex[f] as Map<string, number>;
    const start = row.indices.length;
    for (let e = 0; e < n; e++) {
      const index = field.offset + (vocab.get(elements[e] as string) ?? field.vocab.length);
      let i = start;
      while (i < row.indices.length && row.indices[i] !== index) i++;
      if (i < row.indices.length) row.values[i] = (row.values[i] as number) + 1 / n;
      else pushFeature(row, f, index, 1 / n);
    }
    sortTail(row, start);
  }

  /** The value a cross sees of one of its fields: the category, or the numeric bucket. */
  private crossPart(name: string, raw: RawFeatures): string | undefined {
    const field = this.fields[this.byName.get(name) ?? -1];
    if (field?.type === 'numeric') {
      const x = numericValue(raw[name], field);
      return x === undefined ? undefined : `#${upperBound(field.edges, x)}`;
    }
    return categoryOf(raw[name]);
  }
}

function pushFeature(row: SparseRow, field: number, index: number, value: number): void {
  row.fields.push(field);
  row.indices.push(index);
  row.values.push(value);
}

/** Sorts the entries from `start` on by index (a pooled sequence's few features), keeping fields aligned. */
function sortTail(row: SparseRow, start: number): void {
  for (let i = start + 1; i < row.indices.length; i++) {
    for (let j = i; j > start && (row.indices[j - 1] as number) > (row.indices[j] as number); j--) {
      [row.indices[j - 1], row.indices[j]] = [row.indices[j] as number, row.indices[j - 1] as number];
      [row.values[j - 1], row.values[j]] = [row.values[j] as number, row.values[j - 1] as number];
    }
  }
}

/** Learns one field's parameters in a single pass over the training rows. */
class FieldCollector {
  private readonly numbers: number[] = [];
  private readonly counts = new Map<string, number>();

  constructor(readonly entry: FeatureSpecEntry) {}

  observe(value: RawValue): void {
    const entry = this.entry;
    if (entry.type === 'numeric') {
      const x = typeof value === 'number' && Number.isFinite(value) ? (entry.log1p ? Math.log1p(Math.max(0, value)) : value) : undefined;
      if (x !== undefined) this.numbers.push(x);
    } else if (entry.type === 'categorical') {
      const category = categoryOf(value);
      if (category !== undefined && entry.hashBuckets === 0) this.counts.set(category, (this.counts.get(category) ?? 0) + 1);
    } else if (entry.type === 'sequence' && Array.isArray(value)) {
      for (const element of (value as readonly string[]).slice(0, entry.maxLength)) this.counts.set(element, (this.counts.get(element) ?? 0) + 1);
    }
  }

  fit(offset: number): FittedField {
    const entry = this.entry;
    switch (entry.type) {
      case 'numeric':
        return this.fitNumeric(entry, offset);
      case 'categorical':
        if (entry.hashBuckets > 0) return { ...base(entry, offset, entry.hashBuckets + 1), type: 'categorical', vocab: [], hashBuckets: entry.hashBuckets };
        return { ...this.vocabulary(entry, offset), type: 'categorical', hashBuckets: 0 };
      case 'sequence':
        return { ...this.vocabulary(entry, offset), type: 'sequence', maxLength: entry.maxLength };
      case 'cross':
        return { ...base(entry, offset, entry.hashBuckets + 1), type: 'cross', of: entry.of, hashBuckets: entry.hashBuckets };
    }
  }

  /** Vocabulary by decreasing count (ties by value), then out-of-vocabulary and missing. */
  private vocabulary(entry: { name: string; minCount: number }, offset: number): { name: string; offset: number; size: number; vocab: string[] } {
    const vocab = [...this.counts]
      .filter(([, n]) => n >= entry.minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([value]) => value);
    return { ...base(entry, offset, vocab.length + 2), vocab };
  }

  private fitNumeric(entry: FeatureSpecEntry & { type: 'numeric' }, offset: number): FittedField {
    const sorted = Float64Array.from(this.numbers).sort();
    const clip: [number, number] | undefined =
      entry.clip === undefined || sorted.length === 0 ? undefined : [quantile(sorted, entry.clip[0]), quantile(sorted, entry.clip[1])];
    const clipped = clip === undefined ? sorted : sorted.map((x) => Math.min(clip[1], Math.max(clip[0], x)));
    const bucketed = entry.buckets > 0;
    const edges: number[] = [];
    if (bucketed) {
      for (let b = 1; b < entry.buckets; b++) {
        const edge = quantile(clipped, b / entry.buckets);
        if (clipped.length > 0 && edge > (edges[edges.length - 1] ?? -Infinity) && edge > (clipped[0] as number)) edges.push(edge);
      }
    }
    let mean = 0;
    for (const x of clipped) mean += x;
    mean = clipped.length > 0 ? mean / clipped.length : 0;
    let variance = 0;
    for (const x of clipped) variance += (x - mean) ** 2;
    const std = clipped.length > 1 ? Math.sqrt(variance / (clipped.length - 1)) || 1 : 1;
    const size = bucketed ? edges.length + 2 : 2;
    return { ...base(entry, offset, size), type: 'numeric', log1p: entry.log1p, ...(clip ? { clip } : {}), edges, mean, std, bucketed };
  }
}

function base(entry: { name: string }, offset: number, size: number): { name: string; offset: number; size: number } {
  return { name: entry.name, offset, size };
}

function numericValue(value: RawValue, field: FittedField & { type: 'numeric' }): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  let x = field.log1p ? Math.log1p(Math.max(0, value)) : value;
  if (field.clip !== undefined) x = Math.min(field.clip[1], Math.max(field.clip[0], x));
  return x;
}

function categoryOf(value: RawValue): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

/** The number of edges <= x: the bucket of x. */
function upperBound(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** FNV-1a over UTF-16 code units: stable across runs and platforms. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
