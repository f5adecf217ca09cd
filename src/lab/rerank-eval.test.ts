// The rerank evaluation on a tiny simulated shop: the report's shape, and diversity rerankers doing
// what they are for.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../core/index.js';
import { presetChain, RERANK_METRICS, runRerankEval, type RerankEvalReport } from './rerank-eval.js';

const TINY = { seeds: ['tiny-1', 'tiny-2'], items: 400, days: 2, sessionsPerDay: 80, queries: 60 };

describe('runRerankEval', () => {
  let report: RerankEvalReport;
  it('measures every chain on every seed, each metric a mean inside its interval', async () => {
    const progress: string[] = [];
    report = await runRerankEval({
      chains: ['noop', 'mmr:0.3'].map(presetChain),
      config: TINY,
      onProgress: (p) => progress.push(`${p.seed}:${p.phase}`),
    });
    expect(report.results.map((r) => r.chain)).toEqual(['noop', 'mmr:0.3']);
    expect(report.queries).toHaveLength(2);
    for (const result of report.results) {
      for (const metric of RERANK_METRICS) {
        const { mean, low, high } = result[metric];
        expect(low).toBeLessThanOrEqual(mean + 1e-12);
        expect(high).toBeGreaterThanOrEqual(mean - 1e-12);
      }
      expect(result.ndcg_at_10.mean).toBeGreaterThan(0); // the popularity ranker finds relevant items
    }
    expect(progress).toContain('tiny-2:chains');
  }, 120_000);

  it('raises intra-list diversity with MMR at a low lambda: it trades relevance for unlike items', () => {
    const [noop, mmr] = report.results;
    expect(mmr!.ild.mean).toBeGreaterThan(noop!.ild.mean);
  });

  it('gives the same figures for the same seeds', async () => {
    const again = await runRerankEval({ chains: [presetChain('noop')], config: { ...TINY, seeds: ['tiny-1'] } });
    const once = await runRerankEval({ chains: [presetChain('noop')], config: { ...TINY, seeds: ['tiny-1'] } });
    expect(again.results).toEqual(once.results);
  }, 120_000);

  it('stops with a CancelledError when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runRerankEval({ chains: [presetChain('noop')], config: { ...TINY, seeds: ['tiny-1'] }, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  }, 120_000);
});

describe('presetChain', () => {
  it('reads presets, trade-offs and chains joined by +', () => {
    expect(presetChain('mmr:0.5').rerankers).toEqual([{ type: 'mmr', lambda: 0.5 }]);
    expect(presetChain('dpp:0.5').rerankers).toEqual([{ type: 'dpp', theta: 0.5 }]);
    expect(presetChain('scatter+slot-mix').rerankers).toEqual([{ type: 'scatter' }, { type: 'slot-mix' }]);
  });

  it('names an unknown preset or a trade-off outside [0, 1]', () => {
    expect(() => presetChain('shuffle')).toThrow(InvalidArgumentError);
    expect(() => presetChain('mmr:2')).toThrow(/unknown reranker chain "mmr:2"/);
    expect(() => presetChain('scatter:0.5')).toThrow(InvalidArgumentError);
  });
});
