import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, NotFoundError } from '../../core/index.js';
import { parseBvecs, parseFvecs, parseIvecs } from './fvecs.js';
import { parseIdx } from './idx.js';
import { parseJsonlVectors } from './jsonl-vectors.js';
import { parseNpy } from './npy.js';
import { parseTextVectors } from './text-vectors.js';
import { malformed, type IntVectorSet, type VectorSet } from './vector-set.js';

export type VectorFormat = 'fvecs' | 'bvecs' | 'ivecs' | 'npy' | 'text' | 'idx' | 'jsonl';

export const VECTOR_FORMATS: readonly VectorFormat[] = ['fvecs', 'bvecs', 'ivecs', 'npy', 'text', 'idx', 'jsonl'];

/**
 * The format a file name implies: `.fvecs`, `.bvecs`, `.ivecs`, `.npy`, `.jsonl`, `.txt`/`.csv`/`.tsv`,
 * and MNIST's `-ubyte`/`.idx` (optionally `.gz`).
 * @throws InvalidArgumentError when the name implies none.
 */
export function detectVectorFormat(path: string): VectorFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  const byExtension: [RegExp, VectorFormat][] = [
    [/\.fvecs$/, 'fvecs'],
    [/\.bvecs$/, 'bvecs'],
    [/\.ivecs$/, 'ivecs'],
    [/\.npy$/, 'npy'],
    [/\.jsonl$/, 'jsonl'],
    [/\.(txt|csv|tsv|text)$/, 'text'],
    [/(-ubyte|\.idx\d?)$/, 'idx'],
  ];
  for (const [pattern, format] of byExtension) if (pattern.test(name)) return format;
  throw new InvalidArgumentError(`cannot tell the vector format of "${path}": use one of .fvecs .bvecs .ivecs .npy .txt .csv .jsonl -ubyte(.gz), or pass the format`);
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no such file: ${path}`, { cause: error });
    throw error;
  }
}

/**
 * Reads a vector file of any supported format into float32 rows.
 * @throws NotFoundError for a missing file; IncompatibleFormatError naming the file and the problem.
 */
export async function readVectorFile(path: string, format: VectorFormat = detectVectorFormat(path)): Promise<VectorSet> {
  const bytes = await readBytes(path);
  switch (format) {
    case 'fvecs':
      return parseFvecs(bytes, path);
    case 'bvecs':
      return parseBvecs(bytes, path);
    case 'ivecs': {
      const set = parseIvecs(bytes, path);
      return { count: set.count, dim: set.dim, data: Float32Array.from(set.data) };
    }
    case 'npy':
      return parseNpy(bytes, path);
    case 'idx':
      return parseIdx(bytes, path);
    case 'text':
      return parseTextVectors(bytes.toString('utf8'), path);
    case 'jsonl':
      return parseJsonlVectors(bytes.toString('utf8'), path);
    default:
      throw new InvalidArgumentError(`unknown vector format ${String(format)}`);
  }
}

/**
 * Reads ground-truth neighbour lists (row i: the ids of query i's nearest base vectors, closest
 * first): `.ivecs` natively, or any vector format holding whole numbers.
 * @throws IncompatibleFormatError when a value is not a whole number >= 0.
 */
export async function readNeighbourFile(path: string): Promise<IntVectorSet> {
  const format = detectVectorFormat(path);
  if (format === 'ivecs') return parseIvecs(await readBytes(path), path);
  const set = await readVectorFile(path, format);
  const data = new Int32Array(set.data.length);
  for (let i = 0; i < data.length; i++) {
    const x = set.data[i]!;
    if (!Number.isInteger(x) || x < 0) throw malformed(path, `row ${Math.floor(i / set.dim)}`, `neighbour id ${x} is not a whole number >= 0`);
    data[i] = x;
  }
  return { count: set.count, dim: set.dim, data };
}
