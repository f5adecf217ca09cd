import { describe, expect, it } from 'vitest';
import { EventSchema, type Event } from '../core/index.js';
import { DecayedCounter } from './decayed-counter.js';
import { ItemPopularity } from './item-popularity.js';
import { UserHistory } from './user-history.js';

const DAY = 86_400_000;
const click = (time: number, userId = 'u'): Event => EventSchema.parse({ eventId: `e${time}`, userId, time, type: 'click', itemId: 'i' });

describe('DecayedCounter', () => {
  it('halves a contribution every half-life', () => {
    const counter = new DecayedCounter({ halfLifeMs: DAY });
    counter.add(0, 8, 0);
    expect(counter.valueAt(0, 0)).toBeCloseTo(8, 12);
    expect(counter.valueAt(0, DAY)).toBeCloseTo(4, 12);
    expect(counter.valueAt(0, 3 * DAY)).toBeCloseTo(1, 12);
  });

  it('stays exact across rebasing far into the future', () => {
    const counter = new DecayedCounter({ halfLifeMs: 1 });
    counter.add(3, 1, 0);
    counter.add(3, 1, 600); // exponent 600 > the rebase limit: the reference moves to t = 600
    expect(counter.valueAt(3, 600)).toBeCloseTo(1, 12); // the first one decayed to 2^-600 ≈ 0
    expect(counter.valueAt(5, 600)).toBe(0);
  });

  it('stays finite when read at a time long before its data', () => {
    const counter = new DecayedCounter({ halfLifeMs: DAY });
    counter.add(0, 1, 2_000 * DAY);
    counter.add(1, 2, 2_000 * DAY);
    const value = counter.at(0); // 2,000 half-lives earlier: 2^2000 would be Infinity
    expect(Number.isFinite(value(0))).toBe(true);
    expect(value(1) / value(0)).toBeCloseTo(2, 12); // order and ratios survive
  });
});

describe('ItemPopularity', () => {
  it('ranks by decayed weighted interactions, ignoring query events', () => {
    const popularity = new ItemPopularity(undefined, { resortEvery: 1 });
    popularity.observe(1, click(0));
    popularity.observe(2, click(9 * DAY));
    popularity.observe(2, EventSchema.parse({ eventId: 'q', userId: 'u', time: 0, type: 'query', requestId: 'r', query: 'x' }));
    // doc 1's click is 9 days older: with a 7-day half-life it weighs 2^(-9/7) ≈ 0.41 of doc 2's.
    expect([...popularity.ranking()]).toEqual([2, 1]);
    expect(popularity.valueAt(1, 9 * DAY) / popularity.valueAt(2, 9 * DAY)).toBeCloseTo(Math.pow(2, -9 / 7), 9);
  });

  it('weighs a purchase more than a click', () => {
    const popularity = new ItemPopularity(undefined, { resortEvery: 1 });
    popularity.observe(1, click(0));
    popularity.observe(1, click(0));
    popularity.observe(2, EventSchema.parse({ eventId: 'p', userId: 'u', time: 0, type: 'purchase', itemId: 'i' }));
    expect([...popularity.ranking()]).toEqual([2, 1]); // 5 > 2 with the default weights
  });
});

describe('UserHistory', () => {
  it('keeps the newest interactions first, bounded per user', () => {
    const history = new UserHistory({ maxInteractions: 2, maxQueries: 1 });
    history.observeInteraction(1, click(1) as Event & { type: 'click' });
    history.observeInteraction(2, click(2) as Event & { type: 'click' });
    history.observeInteraction(3, click(3) as Event & { type: 'click' });
    expect(history.interactions('u').map((i) => i.docId)).toEqual([3, 2]);
    history.observeQuery('u', 'a', 1);
    history.observeQuery('u', 'b', 2);
    expect(history.queries('u')).toEqual([{ query: 'b', time: 2 }]);
    expect(history.interactions('nobody')).toEqual([]);
  });
});
