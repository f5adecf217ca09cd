import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/index.js';
import { RERANK_AB_METRICS, runRerankAb } from './rerank-ab.js';

describe('runRerankAb on tiny simulated shops', () => {
  it('serves each chain as an arm; the control differs from itself by 0 and every metric has an interval', async () => {
    const report = await runRerankAb({
      chains: [
        { name: 'none', rerankers: [] },
        { name: 'dpp', rerankers: [{ type: 'dpp', theta: 0.3 }] },
        { name: 'list-aware', rerankers: [{ type: 'list-aware' }] },
      ],
      config: { seeds: ['rab-1', 'rab-2'], items: 250, historyDays: 2, testDays: 1, sessionsPerDay: 80, listTraining: { epochs: 3 } },
    });
    expect(report.control).toBe('none');
    expect(report.results.map((r) => r.chain)).toEqual(['none', 'dpp', 'list-aware']);
    for (const result of report.results) {
      for (const metric of RERANK_AB_METRICS) {
        const m = result[metric];
        expect(m.low).toBeLessThanOrEqual(m.mean + 1e-12);
        expect(m.high).toBeGreaterThanOrEqual(m.mean - 1e-12);
      }
    }
    const none = report.results[0]!;
    for (const metric of RERANK_AB_METRICS) expect(none[metric].delta).toEqual({ mean: 0, low: 0, high: 0 });
    // A strongly diversifying DPP (θ 0.3) shows more varied search lists than the ranker's order.
    expect(report.results[1]!.ild.mean).toBeGreaterThan(none.ild.mean);
    for (const seed of report.perSeed) expect(seed.arms.none!.ctr).toBeGreaterThan(0);
  }, 240_000);

  it('refuses a single chain and a bad spec', async () => {
    await expect(runRerankAb({ chains: [{ name: 'none', rerankers: [] }] })).rejects.toThrow(InvalidArgumentError);
    await expect(runRerankAb({ chains: [{ name: 'a', rerankers: [] }, { name: 'b', rerankers: [{ type: 'scatter', rules: [{ attribute: 'brand', window: 2, max: 3 }] }] }] })).rejects.toThrow(/window/);
  });
});
