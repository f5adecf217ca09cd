import { stringify } from 'csv-stringify/sync';
import type { SparseRow } from '../features/index.js';
import type { RawValue } from '../features/index.js';
import type { Sample } from './sample-builder.js';

/** A libffm line: `label field:feature:value ...` (fields and features 0-based, as libffm reads them). */
export function toLibffmLine(label: number, row: SparseRow): string {
  const parts: string[] = [String(label)];
  for (let i = 0; i < row.indices.length; i++) parts.push(`${row.fields[i]}:${row.indices[i]}:${formatValue(row.values[i] as number)}`);
  return parts.join(' ');
}

/** A libsvm line: `label feature:value ...` with features 1-based and ascending, as libsvm requires. */
export function toLibsvmLine(label: number, row: SparseRow): string {
  const order = row.indices.map((_, i) => i).sort((a, b) => (row.indices[a] as number) - (row.indices[b] as number));
  return [String(label), ...order.map((i) => `${(row.indices[i] as number) + 1}:${formatValue(row.values[i] as number)}`)].join(' ');
}

/** CSV of samples with their raw features (lists joined by `|`), one header row; columns in the given order. */
export function samplesToCsv(samples: readonly Sample[], featureNames: readonly string[]): string {
  const header = ['request_id', 'user_id', 'item_id', 'time', 'position', 'click', 'purchase', ...featureNames];
  const rows = samples.map((s) => [s.requestId, s.userId, s.itemId, s.time, s.position, s.click, s.purchase, ...featureNames.map((n) => csvValue(s.features[n]))]);
  return stringify([header, ...rows]);
}

function csvValue(value: RawValue): string | number {
  if (value === undefined) return '';
  if (Array.isArray(value)) return (value as readonly string[]).join('|');
  return value as string | number;
}

function formatValue(value: number): string {
  return value === 1 ? '1' : String(Math.round(value * 1e6) / 1e6);
}
