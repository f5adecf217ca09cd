import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../core/index.js';
import { BlockList } from './block-list.js';
import { examinationProbability, mineQueries, QueryMiner } from './query-miner.js';
import { variantKey } from './query-text.js';

const DAY = 86_400_000;
let seq = 0;
function query(userId: string, text: string, extra: { time?: number; requestId?: string; sessionId?: string; resultCount?: number } = {}): Event {
  const requestId = extra.requestId ?? `r${++seq}`;
  return { eventId: `e${++seq}`, type: 'query', userId, time: extra.time ?? 0, requestId, query: text, source: 'typed', ...optional(extra) };
}
function optional(extra: { sessionId?: string; resultCount?: number }) {
  return { ...(extra.sessionId === undefined ? {} : { sessionId: extra.sessionId }), ...(extra.resultCount === undefined ? {} : { resultCount: extra.resultCount }) };
}
function click(itemId: string, link: { requestId?: string; sessionId?: string }): Event {
  return { eventId: `e${++seq}`, type: 'click', userId: 'u', time: 1, itemId, ...link };
}
function purchase(itemId: string, link: { requestId?: string; sessionId?: string }): Event {
  return { eventId: `e${++seq}`, type: 'purchase', userId: 'u', time: 2, itemId, quantity: 1, ...link };
}

describe('QueryMiner', () => {
  it('merges spellings that differ in width, case, spaces and punctuation, shown as the most issued', () => {
    const mined = mineQueries(
      [query('a', '华为 手机'), query('b', '华为手机'), query('c', '华为手机'), query('d', 'ＩＰｈｏｎｅ 15'), query('e', 'iphone-15'), query('f', 'iphone 15')],
      { config: { minUsers: 1 } },
    );
    expect(mined.map((q) => [q.text, q.variants, q.count])).toEqual([
      ['iphone 15', ['iphone-15'], 3], // ＩＰｈｏｎｅ 15 normalises to iphone 15 itself
      ['华为手机', ['华为 手机'], 3],
    ]);
  });

  it('never outputs a query fewer than minUsers distinct users issued, whatever the log (privacy)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('u1', 'u2', 'u3', 'u4'), fc.constantFrom('a', 'A', 'a b', 'ab', 'b', '手机', '手 机')), { maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        (log, minUsers) => {
          const mined = mineQueries(log.map(([user, text]) => query(user, text)), { config: { minUsers } });
          for (const q of mined) {
            const users = new Set(log.filter(([, text]) => variantKey(text.toLowerCase()) === variantKey(q.text)).map(([user]) => user));
            expect(users.size, q.text).toBeGreaterThanOrEqual(minUsers);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never outputs a blocked query, in any spelling', () => {
    const blockList = { exact: ['bad word'], substrings: ['毒品', 'xx'] };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('bad word', 'BAD-WORD', 'ｂａｄ ｗｏｒｄ', 'bad words', '买毒品', '毒 品', 'x.x', 'xylophone', 'ok'), { maxLength: 30 }),
        (texts) => {
          const mined = mineQueries(texts.map((t, i) => query(`u${i}`, t)), { config: { minUsers: 1, blockList } });
          const list = new BlockList(blockList);
          for (const q of mined) expect(list.blocks(q.text), q.text).toBe(false);
          expect(mined.map((q) => q.text).filter((t) => !['bad words', 'xylophone', 'ok'].includes(t))).toEqual([]);
        },
      ),
    );
  });

  it('drops queries with control characters or over the length limit, and empty ones', () => {
    const mined = mineQueries([query('a', 'ok'), query('a', 'tab\there'), query('a', 'x'.repeat(10_000)), query('a', '   ')], { config: { minUsers: 1 } });
    expect(mined.map((q) => q.text)).toEqual(['ok']);
  });

  it('attributes clicks and purchases by request id, else to the session’s latest search', () => {
    const categories: Record<string, string> = { p1: '数码>手机', p2: '数码>手机', c1: '数码>配件' };
    const miner = new QueryMiner({ minUsers: 1 }, (id) => categories[id]);
    for (const event of [
      query('a', '手机', { requestId: 'r1' }),
      click('p1', { requestId: 'r1' }),
      click('p2', { requestId: 'r1' }), // a second click on the same search counts once for click-through
      purchase('p1', { requestId: 'r1' }),
      query('b', '手机', { requestId: 'r2', sessionId: 's2' }),
      click('c1', { sessionId: 's2' }),
      query('c', '手机', { requestId: 'r3' }),
      click('p1', { requestId: 'unknown' }), // not attributable: ignored
    ]) {
      miner.observe(event);
    }
    const [phone] = miner.mine();
    expect(phone).toMatchObject({ text: '手机', searches: 3, clicked: 2, converted: 1 });
    // Weights: p1 click 1 + p2 click 1 + p1 purchase 2 = 4 in 手机, c1 click 1 in 配件.
    expect(phone?.categories).toEqual([
      { category: '数码>手机', share: 0.8 },
      { category: '数码>配件', share: 0.2 },
    ]);
  });

  it('stops outputting a query while its latest search found nothing', () => {
    const miner = new QueryMiner({ minUsers: 1 });
    miner.observe(query('a', 'widget', { time: 1, resultCount: 0 }));
    expect(miner.mine()).toEqual([]);
    miner.observe(query('b', 'widget', { time: 2, resultCount: 3 }));
    expect(miner.mine().map((q) => q.text)).toEqual(['widget']);
  });

  it('decays the frequency with the half-life, in or out of time order', () => {
    const miner = new QueryMiner({ minUsers: 1, halfLifeMs: DAY });
    miner.observe(query('a', 'old', { time: 0 }));
    miner.observe(query('a', 'new', { time: 2 * DAY }));
    miner.observe(query('b', 'old', { time: -DAY })); // out of order; three half-lives before the reading: 1/8
    const byText = new Map(miner.mine(2 * DAY).map((q) => [q.text, q.decayedCount]));
    expect(byText.get('new')).toBeCloseTo(1, 10);
    expect(byText.get('old')).toBeCloseTo(0.25 + 0.125, 10); // two half-lives (1/4) plus three (1/8)
  });

  it('weights suggestion clicks by the inverse of their examination probability', () => {
    const miner = new QueryMiner({ minUsers: 1, positionBiasEta: 1, maxClickWeight: 5 });
    const base = { userId: 'a', time: 0, requestId: 'r', prefix: 'ip', type: 'suggestion_click' as const };
    miner.observe({ ...base, eventId: 'x1', suggestion: 'iphone', position: 1 });
    miner.observe({ ...base, eventId: 'x2', suggestion: 'ipad', position: 3 });
    miner.observe({ ...base, eventId: 'x3', suggestion: 'ipod', position: 9 }); // 9 is capped at 5
    for (const text of ['iphone', 'ipad', 'ipod']) miner.observe(query('a', text));
    expect(Object.fromEntries(miner.mine().map((q) => [q.text, q.suggestionClicks]))).toEqual({ iphone: 1, ipad: 3, ipod: 5 });
    expect(examinationProbability(4, 0.5)).toBeCloseTo(0.5, 12);
  });

  it('reads aggregated records: count, users and categories', () => {
    const mined = mineQueries(
      [
        { query: 'laptop', count: 5, categories: { Computers: 3, 'Computers>Laptops': 1 } },
        { query: 'rare', count: 1 },
        { query: 'shared', count: 1, users: 3 },
      ],
      { config: { minUsers: 2 } },
    );
    expect(mined.map((q) => [q.text, q.count, q.decayedCount])).toEqual([
      ['laptop', 5, 5],
      ['shared', 1, 1],
    ]);
    expect(mined[0]?.categories).toEqual([
      { category: 'Computers', share: 0.75 },
      { category: 'Computers>Laptops', share: 0.25 },
    ]);
    expect(() => mineQueries([{ query: 'x', count: -1 }])).toThrow(/count -1/);
  });

  it('does not depend on the order of the log beyond time', () => {
    const log = ['b', 'a', 'B', 'a b', 'ab', 'c'].map((t, i) => query(`u${i % 3}`, t));
    expect(mineQueries([...log].reverse(), { config: { minUsers: 1 } })).toEqual(mineQueries(log, { config: { minUsers: 1 } }));
  });
});

describe('BlockList', () => {
  it('blocks exact phrases and substrings across spellings, not their neighbours', () => {
    const list = new BlockList({ exact: ['Bad Word'], substrings: ['he', 'she', 'hers'] });
    expect(list.blocks('bad word')).toBe(true);
    expect(list.blocks('B.A.D. W-O-R-D')).toBe(true);
    expect(list.blocks('bad words')).toBe(false);
    // Aho–Corasick: `ushers` holds she, he and hers; `ahishers` needs the fail links.
    expect(list.blocks('ushers')).toBe(true);
    expect(list.blocks('ahishers')).toBe(true);
    expect(list.blocks('hx')).toBe(false);
    expect(new BlockList().blocks('anything')).toBe(false);
  });
});
