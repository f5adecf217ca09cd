import type { VectorId } from '../vector-index.js';
import { malformed, type VectorSet } from './vector-set.js';

/**
 * Vectors a user brings as JSON lines: `{"id": "sku-1", "vector": [0.1, 0.2, ...]}`, one object per line
 * (empty lines skipped). Ids are strings or safe integers and must be unique; every vector must have
 * the first one's dimension.
 */
export function parseJsonlVectors(text: string, source = 'jsonl'): VectorSet & { ids: VectorId[] } {
  const ids: VectorId[] = [];
  const seen = new Set<VectorId>();
  const values: number[] = [];
  let dim = -1;
  const lines = text.split(/\r?\n/);
  for (let lineNo = 0; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo]!.trim();
    if (line === '') continue;
    const where = `line ${lineNo + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw malformed(source, where, `not valid JSON (${(error as Error).message})`);
    }
    const { id, vector } = (record ?? {}) as { id?: unknown; vector?: unknown };
    if (!((typeof id === 'string' && id !== '') || Number.isSafeInteger(id))) throw malformed(source, where, `"id" must be a non-empty string or an integer, got ${JSON.stringify(id)}`);
    if (seen.has(id as VectorId)) throw malformed(source, where, `id ${JSON.stringify(id)} appears twice`);
    if (!Array.isArray(vector) || vector.length === 0) throw malformed(source, where, '"vector" must be a non-empty array of numbers');
    if (dim < 0) dim = vector.length;
    if (vector.length !== dim) throw malformed(source, where, `vector has ${vector.length} dims, the first one has ${dim}`);
    for (let i = 0; i < vector.length; i++) {
      const x: unknown = vector[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw malformed(source, where, `vector value ${i} is ${JSON.stringify(x)}, not a finite number`);
      values.push(x);
    }
    seen.add(id as VectorId);
    ids.push(id as VectorId);
  }
  if (ids.length === 0) throw malformed(source, 'line 1', 'no vectors in the file');
  return { count: ids.length, dim, data: Float32Array.from(values), ids };
}
