import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../core/index.js';
import { FeatureDictionary, FeatureHasher, murmur3 } from './feature-map.js';
import { formatRejections, parseSparseText, readSparseFile } from './sparse-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-sparse-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('libffm and libsvm readers', () => {
  it('reads libffm rows into CSR arrays with dictionary ids in first-seen order', () => {
    const map = new FeatureDictionary();
    const { batch, format, rejectedCount } = parseSparseText('1 0:a:1 1:b:0.5\n0 0:c:2\n-1 2:a:1 1:b:1\n', { featureMap: map });
    expect(format).toBe('libffm');
    expect(rejectedCount).toBe(0);
    expect([...batch.offsets]).toEqual([0, 2, 3, 5]);
    expect([...batch.indices]).toEqual([0, 1, 2, 0, 1]); // a, b, c, a, b
    expect([...batch.fields]).toEqual([0, 1, 0, 2, 1]);
    expect([...batch.values]).toEqual([1, 0.5, 2, 1, 1]);
    expect([...batch.labels]).toEqual([1, 0, 0]); // -1 is a negative
    expect({ nFeatures: batch.nFeatures, nFields: batch.nFields }).toEqual({ nFeatures: 3, nFields: 3 });
  });

  it('reads libsvm rows with every entry in field 0, skipping comments and blank lines', () => {
    const { batch, format } = parseSparseText('# header comment\n+1 7:1 9:2.5 # trailing\n\n0 9:1\n', { featureMap: new FeatureDictionary() });
    expect(format).toBe('libsvm');
    expect(batch.size).toBe(2);
    expect([...batch.fields]).toEqual([0, 0, 0]);
    expect([...batch.labels]).toEqual([1, 0]);
  });

  it('reports each malformed line with its number and reason, and keeps the good lines', () => {
    const text = ['1 0:a:1', 'yes 0:a:1', '0 0:a', '1 x:a:1', '0 0:a:abc', '1 0::1', '', '0 1:b:1'].join('\n');
    const result = parseSparseText(text, { featureMap: new FeatureDictionary(), format: 'libffm' });
    expect(result.batch.size).toBe(2);
    expect(result.rejectedCount).toBe(5);
    expect(result.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(result.rejected[0]?.message).toMatch(/label "yes"/);
    expect(result.rejected[1]?.message).toMatch(/not field:feature:value/);
    expect(result.rejected[2]?.message).toMatch(/field "x"/);
    expect(result.rejected[3]?.message).toMatch(/value "abc"/);
    expect(result.rejected[4]?.message).toMatch(/empty feature/);
    expect(formatRejections('f.ffm', result)[0]).toBe('f.ffm:2: rejected: label "yes" is not 0, 1, -1 or +1');
  });

  it('teaches the feature map nothing from a rejected line', () => {
    const map = new FeatureDictionary();
    parseSparseText('1 0:a:1 3:b:bad\n', { featureMap: map });
    expect(map.nFeatures).toBe(0);
    expect(map.nFields).toBe(0);
  });

  it('with a frozen dictionary, drops unseen features (counted) and rejects fields the model has no weights for', () => {
    const map = new FeatureDictionary();
    parseSparseText('1 0:a:1 1:b:1\n', { featureMap: map });
    map.freeze();
    const result = parseSparseText('1 0:a:1 1:zzz:1\n0 5:a:1\n', { featureMap: map });
    expect([...result.batch.indices]).toEqual([0]);
    expect(result.unknownTokens).toBe(1);
    expect(result.rejected).toEqual([{ line: 2, message: 'entry 1 "5:a:1": field 5 is beyond the 2 fields the model was trained with' }]);
  });

  it('hashes features into 2^bits ids with murmur3', () => {
    const hasher = new FeatureHasher({ bits: 4 });
    const { batch } = parseSparseText('1 0:alpha:1 0:beta:1\n', { featureMap: hasher });
    expect([...batch.indices]).toEqual([murmur3('alpha') & 15, murmur3('beta') & 15]);
    expect(batch.nFeatures).toBe(16);
    // MurmurHash3 x86_32 of the empty string with seed 0 is 0 (reference value).
    expect(murmur3('')).toBe(0);
  });

  it('reads a file line by line, and fails with NOT_FOUND naming a missing one', async () => {
    const path = join(dir, 'train.ffm');
    await writeFile(path, '1 0:a:1\n0 0:b:1\nbroken\n');
    const result = await readSparseFile(path, { featureMap: new FeatureDictionary() });
    expect(result.batch.size).toBe(2);
    expect(result.rejected).toEqual([{ line: 3, message: 'label "broken" is not 0, 1, -1 or +1' }]);
    const missing = readSparseFile(join(dir, 'nope.ffm'), { featureMap: new FeatureDictionary() });
    await expect(missing).rejects.toBeInstanceOf(QuarryError);
    await expect(missing).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
