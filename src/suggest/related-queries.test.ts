import { describe, expect, it } from 'vitest';
import { RelatedQueries } from './related-queries.js';

function session(related: RelatedQueries, id: string, queries: string[], start = 0): void {
  queries.forEach((query, i) => related.observe({ userId: `u-${id}`, sessionId: id, query, time: start + i * 60_000 }));
}

describe('RelatedQueries', () => {
  it('ranks what followed a query in other sessions, most frequent first', () => {
    const related = new RelatedQueries({ minCount: 1 });
    session(related, 's1', ['手机', '华为手机', '华为手机壳']);
    session(related, 's2', ['手机', '华为手机']);
    session(related, 's3', ['手机', '苹果手机']);
    expect(related.related('手机', 5)).toEqual([
      { text: '华为手机', count: 2, share: 2 / 3 },
      { text: '苹果手机', count: 1, share: 1 / 3 },
    ]);
    expect(related.related('华为 手机', 5).map((r) => r.text)).toEqual(['华为手机壳']); // any spelling of the query
  });

  it('ignores repeats of one query, steps too far apart, and pairs seen fewer than minCount times', () => {
    const related = new RelatedQueries({ minCount: 2, maxGapMs: 10 * 60_000 });
    session(related, 's1', ['tv', 'TV', 'tv stand']);
    session(related, 's2', ['tv', 'tv stand']);
    session(related, 's3', ['tv', 'hdmi']);
    related.observe({ userId: 'x', sessionId: 's4', query: 'tv', time: 0 });
    related.observe({ userId: 'x', sessionId: 's4', query: 'hdmi', time: 3_600_000 }); // an hour later: a new visit
    expect(related.related('tv', 5)).toEqual([{ text: 'tv stand', count: 2, share: 2 / 3 }]);
  });

  it('falls back to the user when events carry no session id', () => {
    const related = new RelatedQueries({ minCount: 1 });
    related.observe({ userId: 'a', query: 'laptop', time: 0 });
    related.observe({ userId: 'a', query: 'laptop bag', time: 1 });
    expect(related.related('laptop', 3).map((r) => r.text)).toEqual(['laptop bag']);
    expect(related.related('unknown', 3)).toEqual([]);
  });
});
