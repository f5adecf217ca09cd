import fc from 'fast-check';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionsFromRecords, trainBpr } from '../embed/index.js';
import { plantedInteractions } from '../embed/test-data.js';
import { popularityScorer, readAtomicInteractions, RecsysEvaluator, topK, userMetrics } from './recsys.js';
import { randomSplitByUser } from './recsys-split.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-recsys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('userMetrics (RecBole\'s definitions, binary relevance)', () => {
  it('matches a hand computation: relevant items at ranks 2 and 5 of 10, three held out', () => {
    const hits = [0, 1, 0, 0, 1, 0, 0, 0, 0, 0];
    const m = userMetrics(hits, 3, 10);
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(6);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4); // ideal: the 3 relevant items at ranks 1..3
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.mrr).toBeCloseTo(1 / 2, 12);
    expect(m.precision).toBeCloseTo(0.2, 12);
    expect(m.hit).toBe(1);
    expect(m.ndcg).toBeCloseTo(dcg / idcg, 12);
  });

  it('caps the ideal DCG at k when more items are held out than fit in the list', () => {
    const m = userMetrics([1, 1], 12, 2);
    expect(m.ndcg).toBeCloseTo(1, 12); // both slots relevant is ideal for k = 2
    expect(m.recall).toBeCloseTo(2 / 12, 12);
  });

  it('gives zeros for a list without a relevant item', () => {
    expect(userMetrics([0, 0, 0], 2, 3)).toEqual({ recall: 0, mrr: 0, ndcg: 0, hit: 0, precision: 0 });
  });
});

describe('topK', () => {
  it('equals sorting all scores (ties to the lower index), skipping -Infinity', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(-Infinity)), { maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (values, k) => {
        const scores = Float32Array.from(values);
        const top = new Int32Array(k);
        const found = topK(scores, k, top, new Float32Array(k));
        const expected = [...scores.keys()]
          .filter((i) => scores[i] !== -Infinity)
          .sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b)
          .slice(0, k);
        expect([...top.subarray(0, found)]).toEqual(expected);
      }),
    );
  });
});

describe('RecsysEvaluator', () => {
  // One user, items 0..5 scored 5, 4, 3, 2, 1, 0: train {0}, valid {1}, test {3}.
  const data = interactionsFromRecords(['0', '1', '2', '3', '4', '5'].map((itemId) => ({ userId: 'u', itemId })));
  const split = { train: Int32Array.from([0]), valid: Int32Array.from([1]), test: Int32Array.from([3]) };
  const byIndex = (_u: number, out: Float32Array) => out.set([5, 4, 3, 2, 1, 0]);

  it('ranks validation items with the training items removed', () => {
    const report = new RecsysEvaluator(data, split, 2).validate(byIndex);
    expect([report.users, report.mrr, report.hit]).toEqual([1, 1, 1]); // item 0 is dropped, so item 1 leads
  });

  it('ranks test items with training and validation items removed', () => {
    const report = new RecsysEvaluator(data, split, 2).test(byIndex);
    expect(report.mrr).toBeCloseTo(1 / 2, 12); // 0 and 1 dropped: 2, then 3
    expect(report.ndcg).toBeCloseTo(1 / Math.log2(3), 12);
  });
});

describe('readAtomicInteractions', () => {
  it('reads a RecBole .inter file from its folder, every row a positive', async () => {
    const folder = join(dir, 'tiny');
    await mkdir(folder);
    await writeFile(join(folder, 'tiny.inter'), 'user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t5\t100\n2\t10\t1\t90\n1\t11\t3\t80\n');
    const data = readAtomicInteractions(folder);
    expect([data.userIds, data.itemIds, [...data.users], [...data.items], [...(data.times ?? [])]]).toEqual([
      ['1', '2'],
      ['10', '11'],
      [0, 1, 0],
      [0, 0, 1],
      [100, 90, 80],
    ]);
  });

  it('names a missing path and a header without user_id', async () => {
    expect(() => readAtomicInteractions(join(dir, 'nope'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const file = join(dir, 'bad.inter');
    await writeFile(file, 'user:token\titem_id:token\n1\t2\n');
    expect(() => readAtomicInteractions(file)).toThrow(/the header needs user_id and item_id columns/);
  });
});

describe('BPR against the most-popular baseline', () => {
  it('wins on held-out items when tastes fall into groups (planted structure)', async () => {
    const data = plantedInteractions({ users: 120, items: 200, groups: 4, perUser: 12, seed: 'recsys-test' });
    const split = randomSplitByUser(data.users, data.nUsers, { seed: 1 });
    const evaluator = new RecsysEvaluator(data, split, 5);
    const { model } = await trainBpr(evaluator.train, { dim: 8, epochs: 30 });
    const bpr = evaluator.test((u, out) => model.scoreUser(u, out));
    const popular = evaluator.test(popularityScorer(evaluator.train));
    expect(bpr.ndcg).toBeGreaterThan(popular.ndcg * 1.5);
    expect(bpr.recall).toBeGreaterThan(popular.recall);
  });
});
