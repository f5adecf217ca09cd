import { malformed, type VectorSet } from './vector-set.js';

/**
 * Plain text, one vector per line, values separated by spaces, tabs or commas (any mix, repeated
 * separators count once). Empty lines and lines starting with `#` are skipped.
 */
export function parseTextVectors(text: string, source = 'text'): VectorSet {
  const values: number[] = [];
  let dim = -1;
  let count = 0;
  const lines = text.split(/\r?\n/);
  for (let lineNo = 0; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/[\s,]+/).filter((f) => f !== '');
    if (dim < 0) dim = fields.length;
    if (fields.length !== dim) throw malformed(source, `line ${lineNo + 1}`, `${fields.length} values, the first vector has ${dim}`);
    for (let i = 0; i < fields.length; i++) {
      const x = Number(fields[i]);
      if (!Number.isFinite(x)) throw malformed(source, `line ${lineNo + 1}`, `value ${i + 1} ${JSON.stringify(fields[i])} is not a finite number`);
      values.push(x);
    }
    count++;
  }
  if (count === 0) throw malformed(source, 'line 1', 'no vectors in the file');
  return { count, dim, data: Float32Array.from(values) };
}
