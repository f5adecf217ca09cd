import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type Event, type Item } from '../core/index.js';
import { generateWorld, popularityBackend, simulateTraffic } from '../sim/index.js';
import { calibrate, downsamplingCorrection } from '../models/index.js';
import { buildSamples, downsampleNegatives, SampleBuilder, splitByTime, toLibffmLine, toLibsvmLine, samplesToCsv } from './index.js';

const world = generateWorld({ items: 600, users: 200, seed: 'samples' });
const items = new Map(world.items.map((item) => [item.id, item]));
const itemById = (id: string) => items.get(id);

function trafficEvents(): Event[] {
  const backend = popularityBackend(world);
  const events: Event[] = [];
  for (const session of simulateTraffic(world, backend, { days: 3, sessionsPerDay: 150 })) {
    backend.observe(session);
    events.push(...session.events);
  }
  return events.sort((a, b) => a.time - b.time);
}

const events = trafficEvents();

describe('buildSamples: point-in-time correctness', () => {
  it('gives every sample the same features whether or not the log goes on after it', async () => {
    const cutTime = events[Math.floor(events.length / 2)]?.time as number;
    const full = await buildSamples(events, itemById);
    const truncated = await buildSamples(
      events.filter((e) => e.time <= cutTime),
      itemById,
    );
    const key = (s: { requestId: string; itemId: string }) => `${s.requestId}/${s.itemId}`;
    const fullByKey = new Map(full.samples.map((s) => [key(s), s]));
    expect(truncated.samples.length).toBeGreaterThan(1_000);
    for (const sample of truncated.samples) {
      // Labels may differ (a click can fall after the cut); features may not.
      expect(fullByKey.get(key(sample))?.features, key(sample)).toEqual(sample.features);
    }
  });

  it('labels the clicks and purchases of the log, and nothing else', async () => {
    const { samples } = await buildSamples(events, itemById);
    const clicked = new Set(events.flatMap((e) => (e.type === 'click' ? [`${e.requestId}/${e.itemId}`] : [])));
    for (const sample of samples) expect(sample.click, sample.itemId).toBe(clicked.has(`${sample.requestId}/${sample.itemId}`) ? 1 : 0);
    expect(samples.filter((s) => s.purchase === 1).length).toBe(events.filter((e) => e.type === 'purchase').length);
  });
});

describe('SampleBuilder: attribution', () => {
  const [a, b] = world.items as [Item, Item];
  const base = { userId: 'u1', sessionId: 's1' };
  const shown: Event = { ...base, eventId: 'e1', type: 'impression', requestId: 'r1', surface: 'search', query: '手机', time: 1_000, items: [{ itemId: a.id, position: 1 }, { itemId: b.id, position: 2 }] };

  it('joins by request id, falls back to the user for outcomes without one, and respects the windows', () => {
    const builder = new SampleBuilder(itemById, { clickWindowMs: 100, purchaseWindowMs: 1_000 });
    builder.push(shown);
    builder.push({ ...base, eventId: 'e2', type: 'click', requestId: 'r1', itemId: b.id, position: 2, time: 1_050 });
    builder.push({ ...base, eventId: 'e3', type: 'click', requestId: 'r1', itemId: a.id, position: 1, time: 1_200 });
    builder.push({ ...base, eventId: 'e4', type: 'purchase', itemId: b.id, quantity: 1, time: 1_900 });
    const samples = builder.finish();
    expect(samples.map((s) => [s.itemId, s.position, s.click, s.purchase])).toEqual([
      [a.id, 1, 0, 0], // clicked after its 100 ms window
      [b.id, 2, 1, 1], // the purchase has no request id: attributed through the user
    ]);
  });

  it('never attributes another user\'s click', () => {
    const builder = new SampleBuilder(itemById);
    builder.push(shown);
    builder.push({ userId: 'u2', eventId: 'e2', type: 'click', requestId: 'r1', itemId: a.id, time: 1_010 });
    expect(builder.finish().every((s) => s.click === 0)).toBe(true);
  });

  it('refuses events that go back in time', () => {
    const builder = new SampleBuilder(itemById);
    builder.push(shown);
    expect(() => builder.push({ ...shown, eventId: 'e0', time: 999 })).toThrow(InvalidArgumentError);
  });
});

describe('splitByTime', () => {
  it('puts earlier requests in train, keeps each request on one side, and loses nothing', async () => {
    const { samples } = await buildSamples(events, itemById);
    const split = splitByTime(samples, [0.7, 0.15]);
    expect(split.train.length + split.valid.length + split.test.length).toBe(samples.length);
    const maxTrain = Math.max(...split.train.map((s) => s.time));
    expect(Math.min(...split.valid.map((s) => s.time))).toBeGreaterThanOrEqual(maxTrain);
    const trainRequests = new Set(split.train.map((s) => s.requestId));
    expect(split.valid.some((s) => trainRequests.has(s.requestId))).toBe(false);
  });

  it('refuses fractions that leave nothing to test', () => {
    expect(() => splitByTime([], [0.9, 0.1])).toThrow(InvalidArgumentError);
  });
});

describe('negative down-sampling', () => {
  const labels = Array.from({ length: 10_000 }, (_, i) => (i % 20 === 0 ? 1 : 0));
  it('keeps every positive and about `rate` of the negatives, the same for the same seed', () => {
    const kept = downsampleNegatives(labels, (y) => y === 1, 0.25, 'seed');
    expect(kept.filter((y) => y === 1).length).toBe(500);
    expect(kept.filter((y) => y === 0).length / 9_500).toBeCloseTo(0.25, 1);
    expect(downsampleNegatives(labels, (y) => y === 1, 0.25, 'seed')).toEqual(kept);
  });

  it('corrects predictions back to the full distribution', () => {
    // True CTR 5%: after keeping 25% of negatives the sampled rate is 0.05 / (0.05 + 0.95 * 0.25).
    const sampled = 0.05 / (0.05 + 0.95 * 0.25);
    expect(calibrate([downsamplingCorrection(0.25)], sampled)).toBeCloseTo(0.05, 12);
    expect(calibrate([downsamplingCorrection(1)], 0.3)).toBeCloseTo(0.3, 12);
  });
});

describe('export', () => {
  const row = { fields: [0, 1, 2], indices: [7, 2, 40], values: [1, 0.5, 1] };
  it('writes libffm with fields and libsvm 1-based and ascending', () => {
    expect(toLibffmLine(1, row)).toBe('1 0:7:1 1:2:0.5 2:40:1');
    expect(toLibsvmLine(0, row)).toBe('0 3:0.5 8:1 41:1');
  });

  it('writes samples as CSV with lists joined', async () => {
    const { samples } = await buildSamples(events.slice(0, 200), itemById);
    const csv = samplesToCsv(samples.slice(0, 2), ['brand', 'user_categories']).trim().split('\n');
    expect(csv[0]).toBe('request_id,user_id,item_id,time,position,click,purchase,brand,user_categories');
    expect(csv).toHaveLength(3);
  });
});
