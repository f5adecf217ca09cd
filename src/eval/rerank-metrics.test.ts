import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/index.js';
import {
  alphaNdcg,
  catalogCoverage,
  expectedRevenue,
  exposureCounts,
  gini,
  intraListDiversity,
  newItemExposureShare,
  realizedRevenue,
} from './rerank-metrics.js';

// Docs 0-2 are about topic "a", 3-4 about "b", 5 about both, 6 about nothing.
const topics: Record<number, string[]> = { 0: ['a'], 1: ['a'], 2: ['a'], 3: ['b'], 4: ['b'], 5: ['a', 'b'], 6: [] };
const subtopics = (d: number) => topics[d] ?? [];

describe('alphaNdcg', () => {
  it('computes Clarke et al.’s gain by hand on a small list', () => {
    // alpha 0.5, ranking 0 1 3: gains 1, 0.5, 1; discounts 1, log2 3, 2.
    // The greedy ideal over {0, 1, 3}: 0 (1), 3 (1), 1 (0.5).
    const dcg = 1 + 0.5 / Math.log2(3) + 1 / 2;
    const ideal = 1 + 1 / Math.log2(3) + 0.5 / 2;
    expect(alphaNdcg([0, 1, 3], subtopics, { alpha: 0.5, k: 3 })).toBeCloseTo(dcg / ideal, 12);
  });

  it('scores a list that covers both topics early above one that repeats a topic, and the ideal order at 1', () => {
    const pool = [0, 1, 2, 3, 4];
    const redundant = alphaNdcg([0, 1, 2, 3, 4], subtopics, { k: 3, pool });
    const diverse = alphaNdcg([0, 3, 1, 4, 2], subtopics, { k: 3, pool });
    expect(diverse).toBeCloseTo(1, 12);
    expect(redundant).toBeLessThan(diverse);
  });

  it('is 0 without relevant documents and refuses alpha = 1', () => {
    expect(alphaNdcg([6], subtopics)).toBe(0);
    expect(() => alphaNdcg([0], subtopics, { alpha: 1 })).toThrow(InvalidArgumentError);
  });
});

describe('list and traffic metrics', () => {
  it('intra-list diversity is the mean pairwise dissimilarity of the top k', () => {
    const sameTopic = (a: number, b: number) => (subtopics(a)[0] === subtopics(b)[0] ? 1 : 0);
    // Pairs of 0 1 3: (0,1) alike, (0,3) and (1,3) not: 2/3.
    expect(intraListDiversity([0, 1, 3], sameTopic)).toBeCloseTo(2 / 3, 12);
    expect(intraListDiversity([0], sameTopic)).toBe(0);
  });

  it('coverage counts distinct items shown, exposure counts each showing', () => {
    const lists = [[0, 1, 2], [2, 3, 9]];
    expect(catalogCoverage(lists, 10, 2)).toBeCloseTo(4 / 10, 12);
    expect(Array.from(exposureCounts(lists, 10, 2))).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(() => exposureCounts([[12]], 10)).toThrow(InvalidArgumentError);
  });

  it('Gini is 0 for equal exposure and (n − 1) / n when one item takes all', () => {
    expect(gini([3, 3, 3, 3])).toBe(0);
    expect(gini([0, 0, 0, 5])).toBeCloseTo(3 / 4, 12);
    expect(gini([1, 2, 3])).toBeCloseTo((-2 * 1 + 0 * 2 + 2 * 3) / (3 * 6), 12);
  });

  it('new-item share, expected and realised revenue', () => {
    expect(newItemExposureShare([[0, 1], [2, 0]], (d) => d === 0)).toBe(0.5);
    // Position 1 examined fully, position 2 with 1 / log2 3.
    expect(expectedRevenue([0, 1], (d) => (d === 0 ? 2 : 3))).toBeCloseTo(2 + 3 / Math.log2(3), 12);
    expect(realizedRevenue({ purchases: [{ price: 10, quantity: 2 }], adClicks: [{ cpc: 0.5 }, { cpc: 0.25 }] })).toEqual({ gmv: 20, adRevenue: 0.75 });
  });
});
