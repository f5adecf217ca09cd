import { describe, expect, it } from 'vitest';
import { EventSchema, InvalidArgumentError, type Event } from '../core/index.js';
import { appeal, DEFAULT_CLICK_MODEL } from './click-model.js';
import { gradeRelevance } from './intent.js';
import {
  countSessions,
  generateWorld,
  popularityBackend,
  randomBackend,
  simulateTraffic,
  summarize,
  type SessionLog,
  type ShopBackend,
  type TrafficConfig,
  type World,
} from './index.js';
import { asShopWorld } from './world.js';

const world = generateWorld({ items: 2_000, users: 800, seed: 'traffic' });
const shop = asShopWorld(world);
const DAY_MS = 86_400_000;

/** Runs traffic, feeding each session back to the backend before the next one, as a live engine would. */
function run(backend: ShopBackend & { observe?: (s: SessionLog) => void }, config: Partial<TrafficConfig>, w: World = world): SessionLog[] {
  const sessions: SessionLog[] = [];
  for (const session of simulateTraffic(w, backend, config)) {
    backend.observe?.(session);
    sessions.push(session);
  }
  return sessions;
}

const popularityDays = run(popularityBackend(world), { days: 2, sessionsPerDay: 600 });

describe('simulateTraffic: determinism', () => {
  it('gives byte-identical sessions for the same world, backend and config', () => {
    const again = run(popularityBackend(world), { days: 2, sessionsPerDay: 600 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(popularityDays));
  });

  it('gives different sessions for another traffic seed', () => {
    const other = run(popularityBackend(world), { days: 1, sessionsPerDay: 100, seed: 'other' });
    const same = run(popularityBackend(world), { days: 1, sessionsPerDay: 100 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(same));
  });

  it("keeps a day's sessions when the days before it are not simulated (stateless backend)", () => {
    // Without observe() the popularity backend never changes, so only the day's own forks matter.
    const stateless = (): ShopBackend => {
      const backend = popularityBackend(world);
      return { ...bind(backend), suggest: (r) => (backend.suggest as NonNullable<ShopBackend['suggest']>)(r) };
    };
    const twoDays = run(stateless(), { days: 2, sessionsPerDay: 100 }).filter((s) => s.day === 1);
    const dayOneOnly = run(stateless(), { firstDay: 1, days: 1, sessionsPerDay: 100 });
    expect(JSON.stringify(dayOneOnly)).toBe(JSON.stringify(twoDays));
  });
});

describe('simulateTraffic: event log', () => {
  const events = popularityDays.flatMap((s) => s.events);

  it('writes every event already in canonical schema form (parsing changes nothing)', () => {
    for (const event of events) expect(EventSchema.parse(event)).toEqual(event);
  });

  it('gives every event, request and session a unique id', () => {
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(new Set(popularityDays.map((s) => s.sessionId)).size).toBe(popularityDays.length);
    const impressionRequests = events.filter((e) => e.type === 'impression').map((e) => e.requestId);
    expect(new Set(impressionRequests).size).toBe(impressionRequests.length);
  });

  it('keeps events in time order within a session and sessions in start order within a day', () => {
    for (const session of popularityDays) {
      const times = session.events.map((e) => e.time);
      expect(times[0]).toBeGreaterThan(session.start);
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number);
      const dayStart = world.config.startTime + session.day * DAY_MS;
      expect(session.start).toBeGreaterThanOrEqual(dayStart);
      expect(session.start).toBeLessThan(dayStart + DAY_MS);
    }
    for (let i = 1; i < popularityDays.length; i++) {
      const [before, after] = [popularityDays[i - 1] as SessionLog, popularityDays[i] as SessionLog];
      expect(after.start).toBeGreaterThanOrEqual(before.start);
      if (before.day === after.day) expect(after.sessionIndex).toBe(before.sessionIndex + 1);
    }
  });

  it('follows the diurnal curve: more visits at 20-22h Beijing time than at 3-5h', () => {
    const beijingHour = (time: number): number => new Date(time + 8 * 3_600_000).getUTCHours();
    const hours = popularityDays.map((s) => beijingHour(s.start));
    const evening = hours.filter((h) => h >= 20 && h < 22).length;
    const night = hours.filter((h) => h >= 3 && h < 5).length;
    expect(evening).toBeGreaterThan(5 * night); // HOURLY_TRAFFIC: 15.5 vs 0.9
  });

  it('numbers impression positions 1..n and gives search impressions their query', () => {
    for (const event of events) {
      if (event.type !== 'impression') continue;
      expect(event.items.map((i) => i.position)).toEqual(event.items.map((_, i) => i + 1));
      if (event.surface === 'search') expect(event.query).toBeTruthy();
    }
  });

  it('clicks only items shown earlier in the same request, at the position they were shown', () => {
    for (const session of popularityDays) {
      const shown = new Map<string, Map<string, number>>();
      for (const event of session.events) {
        if (event.type === 'impression') shown.set(event.requestId, new Map(event.items.map((i) => [i.itemId, i.position])));
        if (event.type === 'click') expect(shown.get(event.requestId ?? '')?.get(event.itemId)).toBe(event.position);
      }
    }
  });

  it('adds to cart and buys only clicked items, at the catalog price', () => {
    for (const session of popularityDays) {
      const clicked = new Set<string>();
      for (const event of session.events) {
        if (event.type === 'click') clicked.add(`${event.requestId}/${event.itemId}`);
        if (event.type === 'add_to_cart' || event.type === 'purchase') expect(clicked.has(`${event.requestId}/${event.itemId}`)).toBe(true);
        if (event.type === 'purchase') expect(event.price).toBe(world.items[shop.indexOfItem(event.itemId) ?? -1]?.price);
      }
    }
  });

  it('records the intent behind every query, for qrels', () => {
    for (const session of popularityDays) {
      const queries = session.events.filter((e): e is Extract<Event, { type: 'query' }> => e.type === 'query');
      expect(session.searches.map((s) => [s.requestId, s.query])).toEqual(queries.map((q) => [q.requestId, q.query]));
    }
  });

  it('yields as many sessions as countSessions says', () => {
    expect(popularityDays).toHaveLength(countSessions(world, { days: 2, sessionsPerDay: 600 }));
  });

  it('mixes search and feed sessions, with similar-item lists after clicks', () => {
    const summary = summarize(popularityDays);
    expect(popularityDays.filter((s) => s.kind === 'feed').length / popularityDays.length).toBeGreaterThan(0.2);
    expect(summary.bySurface.similar.lists).toBeGreaterThan(0);
    expect(summary.queries).toBeGreaterThan(popularityDays.length * 0.7);
  });
});

describe('simulateTraffic: suggestions', () => {
  it('logs suggestion_click right before the query it became, with source "suggestion"', () => {
    let taken = 0;
    for (const session of popularityDays) {
      session.events.forEach((event, i) => {
        const next = session.events[i + 1];
        if (event.type === 'suggestion_click') {
          taken++;
          expect(next).toMatchObject({ type: 'query', source: 'suggestion', query: event.suggestion });
          expect(next?.requestId).not.toBe(event.requestId);
        }
        if (event.type === 'query' && event.source === 'suggestion') expect(session.events[i - 1]?.type).toBe('suggestion_click');
      });
    }
    expect(taken).toBeGreaterThan(50);
  });

  it('takes only suggestions that fit the intent', () => {
    for (const session of popularityDays) {
      for (const search of session.searches) {
        const query = session.events.find((e) => e.type === 'query' && e.requestId === search.requestId);
        if (query?.type === 'query' && query.source === 'suggestion') expect(shop.interpreter.fit(search.query, search.intent).compatible).toBe(true);
      }
    }
  });

  it('never takes a suggestion that says nothing about what the user wants', () => {
    const backend = popularityBackend(world, { suggest: false });
    const offTopic: ShopBackend = { ...bind(backend), suggest: () => ({ suggestions: ['zzz 不相关', 'qqqqq'] }) };
    const sessions = run(offTopic, { days: 1, sessionsPerDay: 200 });
    expect(sessions.flatMap((s) => s.events).filter((e) => e.type === 'suggestion_click')).toEqual([]);
  });
});

describe('simulateTraffic: click model', () => {
  it('shows position bias: with matches in random order, CTR falls from position 1 to 5 to 10', () => {
    const summary = summarize(run(popularityBackend(world, { order: 'shuffled' }), { days: 3, sessionsPerDay: 1_000 }));
    const [p1, p5, p10] = [summary.ctrAtPosition[0] ?? 0, summary.ctrAtPosition[4] ?? 0, summary.ctrAtPosition[9] ?? 0];
    // Examination is rank^-0.7: 1, 0.32, 0.20; relevance is the same at every rank when the order is random.
    expect(p1).toBeGreaterThan(1.5 * p5);
    expect(p5).toBeGreaterThan(1.1 * p10);
  });

  it('rewards relevance: matching items in random order get several times the clicks of random items', () => {
    const matching = summarize(run(popularityBackend(world, { order: 'shuffled', suggest: false }), { days: 1, sessionsPerDay: 800 }));
    const random = summarize(run(randomBackend(world), { days: 1, sessionsPerDay: 800 }));
    expect(matching.bySurface.search.ctr).toBeGreaterThan(5 * random.bySurface.search.ctr);
  });

  it('leaves room for a learned ranker: ordering the same matches by true appeal beats popularity', () => {
    const popularity = popularityBackend(world, { suggest: false });
    const oracle: ShopBackend = {
      ...bind(popularity),
      search: (request) => {
        const matches = popularity.search({ ...request, limit: 1_000 }).items;
        const user = world.userTruth(request.userId);
        const intents = shop.interpreter.read(request.query);
        const score = (id: string): number => {
          const item = world.itemTruth(id);
          const relevance = Math.max(0, ...intents.map((intent) => gradeRelevance(intent, item, world.items[item.index]?.attributes ?? {}))) as 0 | 1 | 2 | 3;
          return appeal(DEFAULT_CLICK_MODEL, { user, item, relevance });
        };
        return { items: [...matches].sort((a, b) => score(b) - score(a)).slice(0, request.limit) };
      },
    };
    const config = { days: 1, sessionsPerDay: 800 };
    const byPopularity = summarize(run(popularityBackend(world, { suggest: false }), config));
    const byAppeal = summarize(run(oracle, config));
    expect(byAppeal.bySurface.search.ctr).toBeGreaterThan(1.2 * byPopularity.bySurface.search.ctr);
  });

  it('gives a popularity engine a CTR and a CVR of a few percent', () => {
    const summary = summarize(popularityDays);
    expect(summary.ctr).toBeGreaterThan(0.02);
    expect(summary.ctr).toBeLessThan(0.08);
    expect(summary.cvr).toBeGreaterThan(0.02);
    expect(summary.cvr).toBeLessThan(0.1);
  });
});

describe('simulateTraffic: errors', () => {
  it('rejects a world it did not generate, a bad config and a malformed backend answer', () => {
    const backend = popularityBackend(world);
    const fake: World = { ...world }; // same fields, not made by generateWorld
    expect(() => simulateTraffic(fake, backend).next()).toThrow(InvalidArgumentError);
    expect(() => simulateTraffic(world, backend, { pageSize: 0 }).next()).toThrow(/pageSize must be an integer in 1..1000, got 0/);
    expect(() => simulateTraffic(world, backend, { days: -1 }).next()).toThrow(InvalidArgumentError);
    const broken = { search: () => ({ items: 'i00001' }), recommend: () => ({ items: [42] }) } as unknown as ShopBackend;
    expect(() => [...simulateTraffic(world, broken, { days: 1, sessionsPerDay: 20 })]).toThrow(/backend\.(search|recommend) (must return an array|returned 42 at position 1)/);
  });
});

/** The backend's methods bound to it, so they can be spread into another object. */
function bind(backend: ShopBackend): ShopBackend {
  return { search: (r) => backend.search(r), recommend: (r) => backend.recommend(r) };
}

describe('simulateTraffic: live events', () => {
  it('tells onEvent each event before the backend answers the next request, and yields the same sessions', () => {
    const reported: Event[] = [];
    const base = popularityBackend(world);
    let similarRequests = 0;
    const backend: ShopBackend = {
      search: (request) => base.search(request),
      recommend: (request) => {
        if (request.itemId !== undefined) {
          // A similar-items list follows a click on its seed item in the same session: that click is already known.
          similarRequests++;
          const click = reported.findLast((e) => e.type === 'click' && e.userId === request.userId);
          expect(click?.type === 'click' && click.itemId).toBe(request.itemId);
        }
        return base.recommend(request);
      },
    };
    const sessions = [...simulateTraffic(world, backend, { days: 1, sessionsPerDay: 300 }, { onEvent: (e) => reported.push(e) })];
    expect(similarRequests).toBeGreaterThan(0);
    expect(reported).toEqual(sessions.flatMap((s) => s.events));
    // Listening changes nothing in what the users do.
    const listened = [...simulateTraffic(world, popularityBackend(world), { days: 1, sessionsPerDay: 300 }, { onEvent: () => undefined })];
    const quiet = [...simulateTraffic(world, popularityBackend(world), { days: 1, sessionsPerDay: 300 })];
    expect(JSON.stringify(listened)).toBe(JSON.stringify(quiet));
  });
});
