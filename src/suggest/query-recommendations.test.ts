// Hint words and "guess what you want to search", over one query pool.
import { describe, expect, it } from 'vitest';
import { GuessSelector } from './guess-selector.js';
import { HintSelector } from './hint-selector.js';
import { QueryPool } from './query-pool.js';
import { mineQueries } from './query-miner.js';
import { RelatedQueries } from './related-queries.js';
import { TrendDetector } from './trend-detector.js';

const HOUR = 3_600_000;
const NOW = 30 * 24 * HOUR;

function pool() {
  const mined = mineQueries(
    [
      { query: '手机', count: 500, categories: { 数码: 1 } },
      { query: '口红', count: 400, categories: { 美妆: 1 } },
      { query: '连衣裙', count: 300, categories: { 服饰: 1 } },
      { query: '华为手机', count: 200, categories: { '数码>手机': 1 } },
      { query: '手机壳', count: 100, categories: { '数码>配件': 1 } },
      { query: '月饼', count: 50, categories: { 食品: 1 } },
      { query: 'secret', count: 1 }, // below the privacy minimum: never recommended
    ],
    { config: { minUsers: 2 } },
  );
  const related = new RelatedQueries({ minCount: 1 });
  related.observe({ userId: 'x', sessionId: 's', query: '手机', time: 0 });
  related.observe({ userId: 'x', sessionId: 's', query: '手机壳', time: 1 });
  related.observe({ userId: 'y', sessionId: 't', query: '手机', time: 0 });
  related.observe({ userId: 'y', sessionId: 't', query: 'secret', time: 1 });
  const trends = new TrendDetector();
  for (let i = 0; i < 20; i++) trends.observe('月饼', NOW - HOUR + i * 60_000);
  for (let i = 0; i < 20; i++) trends.observe('secret', NOW - HOUR + i * 60_000);
  return new QueryPool({ mined, related, trends });
}

describe('QueryPool', () => {
  it('draws intent from related searches and the user’s categories, and never offers an ineligible query', () => {
    const p = pool();
    expect(p.intent({ userId: 'u', recentQueries: ['手机'] }, 5)).toEqual(['手机壳']); // `secret` followed too, but is not eligible
    expect(p.intent({ userId: 'u', recentQueries: [], categories: new Map([['数码', 1]]) }, 5)).toEqual(['手机', '华为手机', '手机壳']);
    expect(p.trending(NOW, 5)).toEqual(['月饼']);
    expect(p.popular(2)).toEqual(['手机', '口红']);
  });
});

describe('HintSelector', () => {
  it('rotates over intent, trending and popular candidates, skipping what the user just searched', () => {
    const hints = new HintSelector(pool(), { rotation: 3, maxExposures: 10 });
    const user = { userId: 'u', recentQueries: ['手机'] };
    const shown = Array.from({ length: 4 }, () => hints.hint(user, NOW));
    expect(shown).toEqual([
      { text: '手机壳', reason: 'intent' },
      { text: '月饼', reason: 'trending' },
      { text: '口红', reason: 'popular' },
      { text: '手机壳', reason: 'intent' },
    ]);
  });

  it('retires a hint after maxExposures showings or once clicked, and falls back to popular queries for a new user', () => {
    const hints = new HintSelector(pool(), { rotation: 1, maxExposures: 2 });
    const user = { userId: 'new', recentQueries: [] };
    const later = NOW + 10 * 24 * HOUR; // the 月饼 burst has faded
    expect(hints.hint(user, later)?.text).toBe('手机'); // no intent, nothing trending: the most popular
    expect(hints.hint(user, later)?.text).toBe('手机');
    expect(hints.hint(user, later)?.text).toBe('口红'); // 手机 shown twice: retired
    hints.clicked('new', '口红');
    expect(hints.hint(user, later)?.text).toBe('连衣裙');
  });
});

describe('GuessSelector', () => {
  it('interleaves intent, trending and popular chips without repeats or the user’s last searches', () => {
    const guess = new GuessSelector(pool());
    const chips = guess.guess({ userId: 'u', recentQueries: ['手机'], categories: new Map([['美妆', 1]]) }, NOW, 5);
    expect(chips).toEqual([
      { text: '手机壳', reason: 'intent' },
      { text: '口红', reason: 'intent' },
      { text: '月饼', reason: 'trending' },
      { text: '连衣裙', reason: 'popular' },
      { text: '华为手机', reason: 'popular' },
    ]);
  });

  it('fills the row of a new user from trending and popular queries (cold start)', () => {
    const chips = new GuessSelector(pool()).guess({ userId: 'new', recentQueries: [] }, NOW, 3);
    expect(chips.map((c) => c.reason)).toEqual(['trending', 'popular', 'popular']);
    expect(chips.map((c) => c.text)).toEqual(['月饼', '手机', '口红']);
  });
});
