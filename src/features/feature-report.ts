import type { RawFeatures, RawValue } from './feature-context.js';
import type { Featurizer, SparseRow } from './featurizer.js';

/** Data quality of one raw feature over a set of rows. */
export interface CleaningEntry {
  name: string;
  /** Share of rows where the feature is missing (undefined, NaN, empty string or empty list). */
  missingRate: number;
  /** Distinct values seen (counting stops at 100,000). */
  distinct: number;
  /** True when every present value is the same: the feature carries nothing. */
  constant: boolean;
  /** Numeric features: range, mean, and the share of values outside [Q1 - 3 IQR, Q3 + 3 IQR]. */
  numeric?: { min: number; max: number; mean: number; p01: number; p99: number; outlierRate: number };
}

const DISTINCT_LIMIT = 100_000;

/** The cleaning report: per feature, missing rate, constant, distinct count and outliers. */
export function cleaningReport(rows: readonly RawFeatures[], names: readonly string[]): CleaningEntry[] {
  return names.map((name) => {
    let missing = 0;
    const distinct = new Set<string>();
    const numbers: number[] = [];
    for (const row of rows) {
      const value = row[name];
      if (isMissing(value)) {
        missing++;
        continue;
      }
      if (distinct.size < DISTINCT_LIMIT) distinct.add(Array.isArray(value) ? (value as readonly string[]).join('\u0000') : String(value));
      if (typeof value === 'number') numbers.push(value);
    }
    const entry: CleaningEntry = { name, missingRate: rows.length === 0 ? 0 : missing / rows.length, distinct: distinct.size, constant: distinct.size <= 1 };
    if (numbers.length > 0 && numbers.length === rows.length - missing) entry.numeric = numericSummary(numbers);
    return entry;
  });
}

function isMissing(value: RawValue): boolean {
  return value === undefined || value === '' || (typeof value === 'number' && !Number.isFinite(value)) || (Array.isArray(value) && value.length === 0);
}

function numericSummary(values: number[]): NonNullable<CleaningEntry['numeric']> {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] as number;
  const q1 = at(0.25);
  const q3 = at(0.75);
  const iqr = q3 - q1;
  let outliers = 0;
  let sum = 0;
  for (const x of sorted) {
    sum += x;
    if (x < q1 - 3 * iqr || x > q3 + 3 * iqr) outliers++;
  }
  return { min: sorted[0] as number, max: sorted[sorted.length - 1] as number, mean: sum / sorted.length, p01: at(0.01), p99: at(0.99), outlierRate: outliers / sorted.length };
}

/** How much a field says about the label. */
export interface FieldRelevance {
  field: string;
  /** Information value, sum over the field's values of (pos% - neg%) * WOE. Rule of thumb: < 0.02 useless, > 0.3 strong. */
  informationValue: number;
  /** Mutual information between the field's value and the label, in bits. */
  mutualInformation: number;
}

/**
 * Information value (WOE) and mutual information of each fitted field against a binary label. A row's
 * value for a field is its strongest feature in that field (a sequence counts by its most frequent
 * element; a standardised numeric by its value rounded to half standard deviations).
 */
export function fieldRelevance(featurizer: Featurizer, rows: readonly SparseRow[], labels: ArrayLike<number>): FieldRelevance[] {
  return featurizer.fields.map((field, f) => {
    const pos = new Map<string, number>();
    const neg = new Map<string, number>();
    let totalPos = 0;
    rows.forEach((row, r) => {
      const key = fieldKey(row, f, field.type === 'numeric' && !field.bucketed);
      const positive = (labels[r] as number) > 0;
      const counts = positive ? pos : neg;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (positive) totalPos++;
    });
    return { field: field.name, ...relevance(pos, neg, totalPos, rows.length - totalPos) };
  });
}

function fieldKey(row: SparseRow, field: number, plainNumeric: boolean): string {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < row.fields.length; i++) {
    if (row.fields[i] !== field) continue;
    const value = row.values[i] as number;
    if (plainNumeric) return `${row.indices[i]}:${Math.round(value * 2) / 2}`;
    if (value > bestValue) {
      bestValue = value;
      best = row.indices[i] as number;
    }
  }
  return String(best);
}

function relevance(pos: Map<string, number>, neg: Map<string, number>, totalPos: number, totalNeg: number): Omit<FieldRelevance, 'field'> {
  const keys = new Set([...pos.keys(), ...neg.keys()]);
  const n = totalPos + totalNeg;
  let iv = 0;
  let mi = 0;
  for (const key of keys) {
    const p = pos.get(key) ?? 0;
    const q = neg.get(key) ?? 0;
    // +0.5 smoothing keeps WOE finite for values seen with one label only.
    const pShare = (p + 0.5) / (totalPos + 0.5 * keys.size);
    const nShare = (q + 0.5) / (totalNeg + 0.5 * keys.size);
    iv += (pShare - nShare) * Math.log(pShare / nShare);
    const px = (p + q) / n;
    if (p > 0) mi += (p / n) * Math.log2(p / n / (px * (totalPos / n)));
    if (q > 0) mi += (q / n) * Math.log2(q / n / (px * (totalNeg / n)));
  }
  return { informationValue: iv, mutualInformation: mi };
}
