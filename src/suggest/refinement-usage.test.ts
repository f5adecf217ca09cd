import { describe, expect, it } from 'vitest';
import { addedText, RefinementUsage, type RefinementKind } from './refinement-usage.js';

const KINDS: Record<string, RefinementKind> = { 华为: 'brand', 白色: 'attribute', 平价: 'price', 耳机: 'category' };
const classify = (added: string): RefinementKind | undefined => KINDS[added];

describe('addedText', () => {
  it('is what the next query adds around the whole previous one', () => {
    expect(addedText('手机', '华为手机')).toBe('华为');
    expect(addedText('手机', '手机白色')).toBe('白色');
    expect(addedText('手机', '手机')).toBeUndefined();
    expect(addedText('华为手机', '手机')).toBeUndefined(); // broadened, not refined
    expect(addedText('手机', '华为耳机')).toBeUndefined(); // replaced, not refined
  });
});

describe('RefinementUsage', () => {
  it('counts the extensions of a session by the kind of the words added, and only within the gap', () => {
    const usage = new RefinementUsage(classify, { maxGapMs: 60_000 });
    const step = (sessionId: string, query: string, time: number) => usage.observe({ userId: 'u', sessionId, query, time });
    step('s1', '手机', 0);
    step('s1', '华为 手机', 1_000); // spaces do not matter: 华为 is added
    step('s2', '手机', 0);
    step('s2', '白色手机', 1_000);
    step('s3', '手机', 0);
    step('s3', '平价手机', 120_000); // too late: a new visit
    step('s4', '手机', 0);
    step('s5', '华为手机', 1); // another session: no refinement
    step('s4', '绿色手机', 2); // 绿色 is unknown
    expect(usage.observed()).toEqual({ brand: 1, category: 0, price: 0, attribute: 1 });
  });

  it('weighs a kind by its smoothed share against a uniform one: 1 each before anything is seen', () => {
    const usage = new RefinementUsage(classify, { prior: 10 });
    expect(usage.weights()).toEqual({ brand: 1, category: 1, price: 1, attribute: 1 });
    for (let s = 0; s < 20; s++) {
      usage.observe({ userId: 'u', sessionId: `s${s}`, query: '手机', time: 0 });
      usage.observe({ userId: 'u', sessionId: `s${s}`, query: '手机 白色', time: 1 });
    }
    // uniform share: (20 + 4 x 10) / 4 = 15; attribute (20 + 10) / 15 = 2, the others 10 / 15.
    const w = usage.weights();
    expect(w.attribute).toBeCloseTo(2, 10);
    expect(w.brand).toBeCloseTo(2 / 3, 10);
  });
});
