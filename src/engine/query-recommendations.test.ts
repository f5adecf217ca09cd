// The engine's query recommendation: /suggest over the suggest/ library, hints, guesses, related
// and click-back queries, with the privacy minimum, the block list and bad input.
import { describe, expect, it } from 'vitest';
import { EventSchema, InvalidArgumentError, NotFoundError, type Event, type EventInput, type ItemInput } from '../core/index.js';
import { QuerySuggester } from '../suggest/index.js';
import { resolveEngineConfig } from './config.js';
import { useTestEngines } from './test-engines.js';
import { QueryRecommendations, type QueryRecommendationsOptions } from './query-recommendations.js';

const T0 = Date.UTC(2026, 9, 1);
const ITEMS: ItemInput[] = [
  { id: 'mate60', title: '华为 Mate 60 Pro 5G手机', categoryPath: ['数码', '手机'], brand: '华为', price: 6999 },
  { id: 'lip', title: '完美日记 小细跟口红', categoryPath: ['美妆', '口红'], brand: '完美日记', price: 79 },
];

let counter = 0;
function query(userId: string, text: string, minute = 0): EventInput {
  counter++;
  return { eventId: `q${counter}`, type: 'query', userId, query: text, requestId: `r${counter}`, time: T0 + minute * 60_000 };
}
const click = (userId: string, itemId: string, requestId: string, minute = 0): EventInput => ({
  eventId: `c${counter++}`,
  type: 'click',
  userId,
  itemId,
  requestId,
  time: T0 + minute * 60_000,
});
/** Each query issued by users a and b (the privacy minimum is 2), one minute apart. */
const byTwo = (...texts: string[]) => ['a', 'b'].flatMap((user) => texts.map((text, i) => query(user, text, i)));

const openTestEngine = useTestEngines();
async function openEngine(events: EventInput[], config?: unknown) {
  return (await openTestEngine({ items: ITEMS, events, config, now: T0 + 3_600_000 })).engine;
}

const texts = (r: { suggestions: { text: string }[] }) => r.suggestions.map((s) => s.text);

describe('Engine.suggest with the query suggester', () => {
  it('completes Chinese by pinyin, initials and mixed input, and Latin with a typo', async () => {
    const engine = await openEngine(byTwo('华为手机', '手机', 'iphone case'));
    expect(texts(engine.suggest({ prefix: 'shouji' }))).toEqual(['手机']);
    expect(texts(engine.suggest({ prefix: 'sj' }))).toEqual(['手机']);
    expect(texts(engine.suggest({ prefix: 'hua为' }))).toEqual(['华为手机']);
    expect(texts(engine.suggest({ prefix: 'iphine' }))).toEqual(['iphone case']); // one substitution
    expect(engine.suggest({ prefix: '华为' }).suggestions).toEqual([{ text: '华为手机', count: 2 }]); // the shape kept
  });

  it('never shows a query fewer than minUsers issued, nor a blocked one, in any endpoint', async () => {
    const events = [...byTwo('手机', '坏东西', '手机壳'), query('c', '手机 私密', 5)];
    const engine = await openEngine(events, { suggest: { blockList: { substrings: ['坏'] } } });
    const everything = [
      ...texts(engine.suggest({ prefix: '手' })),
      ...texts(engine.suggest({ prefix: 'huai' })),
      ...engine.guess({ limit: 20 }).queries.map((q) => q.text),
      ...engine.related({ query: '手机' }).queries.map((q) => q.text),
    ];
    expect(everything).not.toContain('手机 私密'); // one user
    expect(everything).not.toContain('坏东西'); // blocked
    expect(everything).toContain('手机壳');
  });

  it('refuses control characters and over-long input with INVALID_ARGUMENT, and answers empty input with nothing', async () => {
    const engine = await openEngine(byTwo('手机'));
    expect(() => engine.suggest({ prefix: 'a\u0000b' })).toThrow(InvalidArgumentError);
    expect(() => engine.suggest({ prefix: 'a'.repeat(10_000) })).toThrow(InvalidArgumentError);
    expect(engine.suggest({ prefix: '   ' }).suggestions).toEqual([]);
  });

  it('rebuilds on the first request after new queries, and answers the same for the same events', async () => {
    const engine = await openEngine(byTwo('手机'));
    expect(texts(engine.suggest({ prefix: 'sh' }))).toEqual(['手机']);
    await engine.appendEvents([query('c', '手表', 9), query('d', '手表', 9)]);
    expect(texts(engine.suggest({ prefix: 'shou' }))).toEqual(['手表', '手机']); // small log: rebuilt at once; equal counts, 手表 is more recent
    const twin = await openEngine([...byTwo('手机'), query('c', '手表', 9), query('d', '手表', 9)]);
    expect(engine.suggest({ prefix: 'sh' }).suggestions).toEqual(twin.suggest({ prefix: 'sh' }).suggestions);
  });
});

describe('Engine.hint and Engine.guess', () => {
  it('gives an unknown user popular hints, rotating, each shown at most maxExposures times', async () => {
    const engine = await openEngine(byTwo('手机', '口红'), { suggest: { hint: { maxExposures: 1, rotation: 2 } } });
    const shown = [1, 2, 3].map(() => engine.hint({ userId: 'new' }).hint);
    // Equal counts: 口红, issued a minute later, is more recent.
    expect(shown).toEqual([{ text: '口红', reason: 'popular' }, { text: '手机', reason: 'popular' }, null]);
  });

  it('leaves the user’s latest search out of the chips, and needs a user id for a hint', async () => {
    const engine = await openEngine(byTwo('手机', '口红'));
    expect(engine.guess({ userId: 'a' }).queries.map((q) => q.text)).not.toContain('口红'); // a searched it last
    expect(engine.guess({}).queries.map((q) => q.text)).toEqual(['口红', '手机']); // cold start: popular, the more recent first
    expect(() => engine.hint({ userId: '' })).toThrow(InvalidArgumentError);
    expect(() => engine.guess({ limit: 1_000 })).toThrow(InvalidArgumentError);
  });
});

describe('Engine.related', () => {
  it('relates the queries searched next in sessions, and the queries that led users to an item', async () => {
    const events = [...byTwo('手机', '手机壳'), query('a', '华为', 10), click('a', 'mate60', `r${counter}`, 11), query('b', '华为', 10)];
    events.push(click('b', 'mate60', `r${counter}`, 11));
    const engine = await openEngine(events);
    expect(engine.related({ query: '手机' }).queries).toEqual([{ text: '手机壳', reason: 'next', weight: 2 }]);
    expect(engine.related({ itemId: 'mate60' }).queries).toEqual([{ text: '华为', reason: 'click-back', weight: 2 }]);
    expect(engine.related({ itemId: 'mate60', userId: 'a' }).queries).toEqual([]); // a came from that search
  });

  it('wants exactly one of query and itemId, and a known item', async () => {
    const engine = await openEngine(byTwo('手机'));
    expect(() => engine.related({})).toThrow(InvalidArgumentError);
    expect(() => engine.related({ query: '手机', itemId: 'lip' })).toThrow(InvalidArgumentError);
    expect(() => engine.related({ query: ' ' })).toThrow(InvalidArgumentError);
    expect(() => engine.related({ itemId: 'nope' })).toThrow(NotFoundError);
  });
});

describe('QueryRecommendations background rebuild', () => {
  // Every query a rebuild: rebuilt in the background from the first query on (0 queries at start).
  const config = resolveEngineConfig({ suggest: { backgroundRebuildFrom: 0, rebuildEvery: 1, rebuildShare: 0 } }).suggest;
  const events = (...inputs: EventInput[]): Event[] => inputs.map((input) => EventSchema.parse(input));
  const recommendations = (options: QueryRecommendationsOptions = {}) => {
    const queries = new QueryRecommendations(config, () => undefined, options);
    for (const event of events(...byTwo('手机'))) queries.observe(event);
    return queries;
  };
  const completions = (queries: QueryRecommendations, prefix: string) => texts(queries.suggest(prefix, { limit: 10 }));

  it('answers from the old structure while the rebuild runs, and from the new one once it is swapped in', async () => {
    const queries = recommendations();
    expect(completions(queries, 'sh')).toEqual(['手机']); // the first build is always inline
    for (const event of events(query('c', '手表', 9), query('d', '手表', 9))) queries.observe(event);
    expect(completions(queries, 'sh')).toEqual(['手机']); // stale: a rebuild starts, this request is not kept waiting
    expect(queries.rebuildRunning).toBe(true);
    for (const event of events(query('e', '手套', 9), query('f', '手套', 9))) queries.observe(event);
    expect(completions(queries, 'shou')).toEqual(['手机']); // still the old one, and no second rebuild
    await queries.settled();
    expect(queries.rebuildRunning).toBe(false);
    // The snapshot is taken when the work starts, after the request: both new queries are in it.
    expect(completions(queries, 'shou')).toEqual(['手套', '手表', '手机']);
  });

  it('gives the same structure as an inline rebuild of the same events', async () => {
    const background = recommendations();
    const inline = recommendations();
    completions(background, 'sh');
    for (const q of [background, inline]) for (const event of events(query('c', '手表', 9), query('d', '手表', 9))) q.observe(event);
    completions(background, 'sh');
    await background.settled();
    inline.rebuild();
    for (const prefix of ['sh', 's', '手', 'shoub']) expect(background.suggest(prefix, { limit: 10 })).toEqual(inline.suggest(prefix, { limit: 10 }));
  });

  it('keeps the old structure serving when a rebuild fails, reports the error, and tries again after new queries', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const buildSuggester: typeof QuerySuggester.build = (mined, options) => (fail ? Promise.reject(new Error('disk on fire')) : QuerySuggester.build(mined, options));
    const queries = recommendations({ onBackgroundError: (error) => errors.push(error), buildSuggester });
    expect(completions(queries, 'sh')).toEqual(['手机']);
    for (const event of events(query('c', '手表', 9), query('d', '手表', 9))) queries.observe(event);
    completions(queries, 'sh');
    await queries.settled();
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk on fire']);
    expect(completions(queries, 'shou')).toEqual(['手机']); // the old one; no new rebuild: nothing new since the failed snapshot
    expect(queries.rebuildRunning).toBe(false);
    fail = false;
    for (const event of events(query('e', '手套', 9))) queries.observe(event);
    completions(queries, 'sh');
    await queries.settled();
    expect(completions(queries, 'shou')).toEqual(['手表', '手机']); // 手套 has one user: below the privacy minimum
    expect(errors).toHaveLength(1);
  });

  it('never swaps in a rebuild stopped by close', async () => {
    const errors: unknown[] = [];
    const queries = recommendations({ onBackgroundError: (error) => errors.push(error) });
    completions(queries, 'sh');
    for (const event of events(query('c', '手表', 9), query('d', '手表', 9))) queries.observe(event);
    completions(queries, 'sh');
    await queries.close();
    expect(completions(queries, 'shou')).toEqual(['手机']);
    expect(queries.rebuildRunning).toBe(false);
    expect(errors).toEqual([]);
  });

  it('rebuilds a structure below backgroundRebuildFrom queries inside the request', () => {
    const inline = new QueryRecommendations(resolveEngineConfig({ suggest: { rebuildEvery: 1, rebuildShare: 0 } }).suggest, () => undefined);
    for (const event of events(...byTwo('手机'))) inline.observe(event);
    expect(completions(inline, 'sh')).toEqual(['手机']);
    for (const event of events(query('c', '手表', 9), query('d', '手表', 9))) inline.observe(event);
    expect(completions(inline, 'shou')).toEqual(['手表', '手机']);
    expect(inline.rebuildRunning).toBe(false);
  });
});
