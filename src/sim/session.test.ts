import { describe, expect, it } from 'vitest';
import { generateWorld, LIST_EFFECTS, simulateTraffic, type SessionLog, type ShopBackend, type TrafficConfig } from './index.js';
import { asShopWorld } from './world.js';

const world = generateWorld({ items: 1_500, users: 400, seed: 'session' });
const shop = asShopWorld(world);

/** Products of one leaf category: ten of its most common brand, and one each of up to ten brands. */
function lists(): { sameBrand: string[]; mixed: string[] } {
  const byLeaf = new Map<string, Map<string, string[]>>();
  for (const truth of shop.itemTruths) {
    if (truth.kind !== 'product' || truth.brand === undefined) continue;
    const brands = byLeaf.get(truth.leafId) ?? new Map<string, string[]>();
    brands.set(truth.brand, [...(brands.get(truth.brand) ?? []), truth.itemId]);
    byLeaf.set(truth.leafId, brands);
  }
  for (const brands of byLeaf.values()) {
    const largest = [...brands.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    if (largest.length >= 10 && brands.size >= 6) return { sameBrand: largest.slice(0, 10), mixed: [...brands.values()].map((ids) => ids[0] as string).slice(0, 10) };
  }
  throw new Error('the test world has no leaf with 10 items of one brand and 6 brands');
}

/** Feed-only sessions (no search, no similar items) that are always shown `items`. */
function feed(items: string[], clickModel: TrafficConfig['clickModel']): SessionLog[] {
  const backend: ShopBackend = { search: () => ({ items: [] }), recommend: () => ({ items }) };
  const behaviour = { feedShare: 1, searchAfterFeed: 0, similarAfterClick: 0 };
  return [...simulateTraffic(world, backend, { days: 1, sessionsPerDay: 4_000, behaviour, clickModel })];
}

/** Clicks by rank (1-based index), over all sessions. */
function clicksByRank(sessions: readonly SessionLog[]): number[] {
  const counts = new Array<number>(11).fill(0);
  for (const event of sessions.flatMap((s) => s.events)) if (event.type === 'click' && event.position !== undefined) counts[event.position]! += 1;
  return counts;
}

describe('browse: redundancy in a list', () => {
  const { sameBrand, mixed } = lists();
  const brandOnly = { redundancyBrandWeight: LIST_EFFECTS.redundancyBrandWeight! };
  const off = {};

  it('draws fewer clicks below the first item of a list of one brand than without the effect', () => {
    const withEffect = clicksByRank(feed(sameBrand, brandOnly));
    const without = clicksByRank(feed(sameBrand, off));
    // Rank 1 has nothing above it: the same draws give the same clicks.
    expect(withEffect[1]).toBe(without[1]);
    expect(withEffect[1]).toBeGreaterThan(100);
    const below = (counts: number[]) => counts.slice(2).reduce((sum, c) => sum + c, 0);
    // The 2nd to 10th items of the brand lose 0.35 to 0.9 of click logit: about a third of the clicks.
    expect(below(withEffect)).toBeLessThan(0.8 * below(without));
  });

  it('changes nothing in a list without a repeated brand (and draws nothing more from the rng)', () => {
    expect(new Set(mixed.map((id) => shop.itemTruths[shop.indexOfItem(id) as number]?.brand)).size).toBe(mixed.length);
    expect(JSON.stringify(feed(mixed, brandOnly))).toBe(JSON.stringify(feed(mixed, off)));
  });
});
