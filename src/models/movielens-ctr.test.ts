import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncompatibleFormatError } from '../core/index.js';
import { ageBand, loadMovieLensCtr, MOVIELENS_FIELDS, yearBand } from './movielens-ctr.js';
import { writeTinyMovieLens } from './test-data.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-ml-'));
  await writeTinyMovieLens(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('MovieLens-100k as CTR samples', () => {
  it('labels rating >= 4 as a click and gives each rating the seven fields, one entry per genre', async () => {
    const data = await loadMovieLensCtr(dir, { trainFraction: 0.8, validFraction: 0.1 });
    const { batch } = data.train;
    expect(batch.nFields).toBe(MOVIELENS_FIELDS.length);
    // First rating by time: user 1 (24, M, technician) gives Toy Story (1995, three genres) a 5.
    expect(batch.labels[0]).toBe(1);
    const first = Array.from({ length: (batch.offsets[1] as number) - (batch.offsets[0] as number) }, (_, e) => data.featureMap.token(batch.indices[e] as number));
    expect(first).toEqual(['user=1', 'item=10', 'age=18-24', 'gender=M', 'occupation=technician', 'genre=Animation', "genre=Children's", 'genre=Comedy', 'year=1995-1999']);
    expect([...batch.fields.subarray(0, first.length)]).toEqual([0, 1, 2, 3, 4, 5, 5, 5, 6]);
    expect(batch.labels[1]).toBe(0); // rating 3
  });

  it('splits by time 80/10/10 and fits the dictionary on the training split only', async () => {
    const data = await loadMovieLensCtr(dir, { split: 'time' });
    expect([data.train.batch.size, data.valid.batch.size, data.test.batch.size]).toEqual([8, 1, 1]);
    // The ninth rating (time 9) is user 3's: unseen in training, so the user, age band and occupation are dropped.
    const valid = data.valid.batch;
    const tokens = Array.from(valid.indices, (id) => data.featureMap.token(id));
    expect(tokens).not.toContain('user=3');
    expect(tokens).toContain('item=11');
    expect(data.featureMap.unknownTokens).toBe(3); // user=3, age=<18, occupation=student
    expect(data.valid.users[0]).not.toBe(data.train.users[0]);
  });

  it('shuffles with the seed for the random split: same seed, same split', async () => {
    const a = await loadMovieLensCtr(dir, { split: 'random', seed: 7 });
    const b = await loadMovieLensCtr(dir, { split: 'random', seed: 7 });
    expect([...a.test.batch.indices]).toEqual([...b.test.batch.indices]);
    expect(a.train.batch.size).toBe(8);
  });

  it('names the file and line of a malformed row', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'quarry-ml-bad-'));
    try {
      await writeTinyMovieLens(bad);
      await writeFile(join(bad, 'ml-100k.inter'), 'user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t5\t1\n1\t10\tfive\t2\n');
      await expect(loadMovieLensCtr(bad)).rejects.toThrow(IncompatibleFormatError);
      await expect(loadMovieLensCtr(bad)).rejects.toThrow(/ml-100k\.inter:3: rating "five"/);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });

  it('bands ages as MovieLens-1M does and years by decade, then by five years from 1960', () => {
    expect([17, 18, 24, 25, 49, 55, 56, 73].map(ageBand)).toEqual(['<18', '18-24', '18-24', '25-34', '45-49', '50-55', '56+', '56+']);
    expect([1926, 1959, 1960, 1997].map(yearBand)).toEqual(['1920s', '1950s', '1960-1964', '1995-1999']);
  });
});
