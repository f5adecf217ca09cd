import { describe, expect, it } from 'vitest';
import type { QueryEvent } from '../core/index.js';
import { generateWorld, popularityBackend, simulateTraffic, type SessionLog, type ShopBackend, type TrafficConfig } from './index.js';
import type { RefinementOffer, SearchFilters } from './shop-backend.js';
import { asShopWorld } from './world.js';

const world = generateWorld({ items: 1_500, users: 600, seed: 'offers' });
const shop = asShopWorld(world);

/**
 * The popularity baseline plus every offer: the hint and the guess chips are category names, related
 * searches the same names, and each page offers one brand chip per brand of its leaf (as filters) and
 * a cheapest and a dearest price band. Filters asked for are recorded by request id.
 */
function offeringBackend(): ShopBackend & { observe: (s: SessionLog) => void; filters: Map<string, SearchFilters> } {
  const base = popularityBackend(world);
  const leafNames = shop.catalog.leaves.map((leaf) => leaf.spec.zh);
  const filters = new Map<string, SearchFilters>();
  return {
    filters,
    observe: (s) => base.observe(s),
    search: (r) => {
      if (r.filters !== undefined) filters.set(r.requestId, r.filters);
      const page = base.search(r);
      const leaf = shop.interpreter.read(r.query)[0]?.leafId;
      const brands = leaf === undefined ? [] : shop.leaf(leaf).spec.brands.map((b) => b.zh);
      const refinements: RefinementOffer[] = [
        ...brands.map((label): RefinementOffer => ({ kind: 'brand', label, filter: { brands: [label] } })),
        { kind: 'price', label: '0-99', filter: { priceMin: 0, priceMax: 99 } },
        { kind: 'price', label: '100-100000', filter: { priceMin: 100, priceMax: 100_000 } },
      ];
      return { ...page, refinements };
    },
    recommend: (r) => base.recommend(r),
    suggest: (r) => (base.suggest as NonNullable<ShopBackend['suggest']>)(r),
    hint: (r) => ({ hint: leafNames[r.time % leafNames.length] }),
    guess: () => ({ queries: leafNames.slice(0, 12) }),
    related: () => ({ queries: leafNames.slice(0, 12) }),
  };
}

function run(backend: ShopBackend & { observe: (s: SessionLog) => void }, config: Partial<TrafficConfig> = {}): SessionLog[] {
  const sessions: SessionLog[] = [];
  for (const session of simulateTraffic(world, backend, { days: 2, sessionsPerDay: 500, ...config })) {
    backend.observe(session);
    sessions.push(session);
  }
  return sessions;
}

const backend = offeringBackend();
const sessions = run(backend);
const queries = sessions.flatMap((s) => s.events.filter((e): e is QueryEvent => e.type === 'query'));
const intentOf = new Map(sessions.flatMap((s) => s.searches.map((t) => [t.requestId, t] as const)));

describe('simulated users and what the shop offers', () => {
  it('start searches from every kind of offer, and record the origin on the query event', () => {
    const bySource = new Map<string, number>();
    for (const q of queries) bySource.set(q.source, (bySource.get(q.source) ?? 0) + 1);
    for (const source of ['typed', 'suggestion', 'hint', 'guess', 'refinement', 'related']) expect(bySource.get(source) ?? 0).toBeGreaterThan(0);
    expect(bySource.get('typed')).toBeGreaterThan(queries.length / 2);
  });

  it('take only hints, guesses and related searches that fit the intent', () => {
    for (const q of queries) {
      if (q.source !== 'hint' && q.source !== 'guess' && q.source !== 'related') continue;
      const truth = intentOf.get(q.requestId);
      expect(truth && shop.interpreter.fit(q.query, truth.intent).compatible).toBe(true);
    }
  });

  it('apply a refinement chip as a filter on the last query, and only the one naming what they want', () => {
    const refined = queries.filter((q) => q.source === 'refinement');
    expect(refined.length).toBeGreaterThan(0);
    for (const q of refined) {
      const filters = backend.filters.get(q.requestId);
      const intent = intentOf.get(q.requestId)?.intent;
      expect(filters).toBeDefined();
      if (filters?.brands !== undefined) expect(filters.brands).toEqual([intent?.brand]);
      if (filters?.priceMin !== undefined) expect(filters.priceMax === 99 ? 'budget' : 'premium').toBe(intent?.priceBand);
    }
    // A typed query carries no filter.
    for (const q of queries.filter((x) => x.source === 'typed')) expect(backend.filters.has(q.requestId)).toBe(false);
  });

  it('log a hint click as a suggestion click with an empty prefix, right before its query', () => {
    for (const session of sessions) {
      session.events.forEach((event, i) => {
        if (event.type === 'query' && event.source === 'hint') expect(session.events[i - 1]).toMatchObject({ type: 'suggestion_click', prefix: '', suggestion: event.query });
      });
    }
  });

  it('are deterministic for a seed, and ignore offers whose chances are 0', () => {
    expect(JSON.stringify(run(offeringBackend()))).toBe(JSON.stringify(sessions));
    const off = { hintUse: 0, guessLook: 0, refinementLook: 0, relatedLook: 0 };
    const withOffers = run(offeringBackend(), { days: 1, behaviour: off });
    const plain = offeringBackend();
    const without = run({ observe: (x) => plain.observe(x), search: (r) => plain.search(r), recommend: (r) => plain.recommend(r), suggest: (r) => (plain.suggest as NonNullable<ShopBackend['suggest']>)(r) }, { days: 1, behaviour: off });
    expect(JSON.stringify(withOffers)).toBe(JSON.stringify(without));
    expect(withOffers.flatMap((s) => s.events).every((e) => e.type !== 'query' || e.source === 'typed' || e.source === 'suggestion')).toBe(true);
  });
});
