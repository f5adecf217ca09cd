import { describe, expect, it } from 'vitest';
import { CancelledError, InvalidArgumentError } from '../core/index.js';
import { evaluateSuggest, type QueryCompleter, type SuggestEvalSystems } from './suggest-eval.js';

/** A completer answering from a fixed table of prefix → suggestions. */
function table(answers: Record<string, string[]>): QueryCompleter {
  return { complete: (prefix, limit) => (answers[prefix] ?? []).slice(0, limit) };
}

function systems(ours: QueryCompleter, baseline: QueryCompleter, seen: { train?: readonly { query: string; count: number }[] } = {}): SuggestEvalSystems {
  return {
    build: (train) => {
      seen.train = train;
      return Promise.resolve(ours);
    },
    buildBaseline: () => Promise.resolve(baseline),
    typedForms: (text) => (text === '手机' ? { pinyin: 'shouji', initials: 'sj' } : {}),
    queryKey: (text) => text.replace(/ /g, ''),
  };
}

describe('evaluateSuggest', () => {
  it('scores the rank of the query finally issued at each prefix, weighted by held-out issues', async () => {
    // One query issued 1,000 times: about 100 held out, every one typed as `a`, `ab`.
    const ours = table({ a: ['x', 'ab'], ab: ['ab'] });
    const baseline = table({ a: ['ab'], ab: ['x', 'y', 'z', 'w', 'v', 'a b'] });
    const report = await evaluateSuggest([{ query: 'ab', count: 1_000 }], systems(ours, baseline), { seed: 's' });
    expect(report.held_out).toBeGreaterThan(50);
    expect(report.coverage).toBe(1);
    const [one, two] = report.by_prefix_length;
    expect(one).toMatchObject({ prefix_length: 1, mrr_at_10: 0.5, baseline_mrr_at_10: 1, success_at_1: 0, baseline_success_at_1: 1, success_at_5: 1 });
    // `a b` is the same query as `ab` (the query key drops spaces): rank 6, outside success@5.
    expect(two).toMatchObject({ prefix_length: 2, mrr_at_10: 1, baseline_mrr_at_10: 0.1667, baseline_success_at_5: 0 });
    expect(report.mrr_at_10).toBe(0.75);
  });

  it('types queries with Han characters in pinyin and initials, and Latin ones with a typo', async () => {
    const ours = table({ shouji: ['手机'], sj: ['手机'] });
    const report = await evaluateSuggest([{ query: '手机', count: 200 }, { query: 'keyboard', count: 200 }], systems(ours, table({})), { seed: 's' });
    expect(report.by_input.pinyin.by_prefix_length.map((r) => r.prefix_length)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.by_input.pinyin.by_prefix_length.at(-1)).toMatchObject({ mrr_at_10: 1, baseline_mrr_at_10: 0 });
    expect(report.by_input.initials.by_prefix_length.at(-1)).toMatchObject({ prefix_length: 2, mrr_at_10: 1 });
    // Typos from four characters on: keyboard (8 letters) and shouji (6) give lengths 4 to 8.
    expect(report.by_input.typo.by_prefix_length.map((r) => r.prefix_length)).toEqual([4, 5, 6, 7, 8]);
  });

  it('offers every query of the log with `candidates: all`, smoothed once per query', async () => {
    const seen: { train?: readonly { query: string; count: number }[] } = {};
    await evaluateSuggest([{ query: 'a b', count: 0 }, { query: 'ab', count: 0 }, { query: 'c', count: 3 }], systems(table({}), table({}), seen), { candidates: 'all', split: 0.5 });
    expect(seen.train?.slice(0, 2)).toEqual([{ query: 'a b', count: 1 }, { query: 'ab', count: 0 }]);
  });

  it('refuses bad options and an empty log, and stops when the signal aborts', async () => {
    const s = systems(table({}), table({}));
    await expect(evaluateSuggest([], s)).rejects.toThrow(InvalidArgumentError);
    await expect(evaluateSuggest([{ query: 'a', count: 1 }], s, { split: 1 })).rejects.toThrow(/split must be in \(0, 1\), got 1/);
    const controller = new AbortController();
    controller.abort();
    await expect(evaluateSuggest([{ query: 'abc', count: 500 }], s, { signal: controller.signal })).rejects.toThrow(CancelledError);
  });
});
