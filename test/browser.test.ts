// The first page in a real browser: Debian's Chromium driven by playwright-core. It loads `/`, types a
// query, takes a suggestion, sees results with prices, opens the explanation, and clicks a result (which
// must reach the server as a click event). Then the query recommendations: the hint word in the empty
// box, "guess" chips, refinement chips and related searches, each search logged with its origin.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventInput, ItemInput } from '../src/core/index.js';
import { Engine } from '../src/engine/index.js';
import { serve, type RunningServer } from '../src/server/index.js';
import { SqliteStore } from '../src/store/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run) and must run this test; a developer machine without it skips, saying why.
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`CI needs Chromium at ${CHROMIUM} for the browser test`);
if (!available) console.warn(`browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

const ITEMS: ItemInput[] = [
  { id: 'mate60', title: '华为 Mate 60 Pro 5G手机 12GB+512GB 雅川青', categoryPath: ['数码', '手机'], brand: '华为', price: 6999 },
  { id: 'p70', title: '华为 P70 5G手机 12GB+256GB 雪域白', categoryPath: ['数码', '手机'], brand: '华为', price: 5499 },
  { id: 'ad', title: '小米 14 Ultra 5G手机 徕卡影像', categoryPath: ['数码', '手机'], brand: '小米', price: 6499, kind: 'ad', bid: 2 },
];
const QUERIES: EventInput[] = [
  ...['u1', 'u2'].map((userId, i): EventInput => ({ eventId: `q${i}`, type: 'query', userId, requestId: `r${i}`, query: '华为手机', time: 0 })),
  // Three sessions go from 手机 to 华为手机: 华为手机 becomes a related search of 手机.
  ...['u3', 'u4', 'u5'].flatMap((userId): EventInput[] => [
    { eventId: `${userId}a`, type: 'query', userId, sessionId: `s-${userId}`, requestId: `${userId}a`, query: '手机', time: 1_000 },
    { eventId: `${userId}b`, type: 'query', userId, sessionId: `s-${userId}`, requestId: `${userId}b`, query: '华为手机', time: 2_000 },
  ]),
];

describe.skipIf(!available)('the page in Chromium', () => {
  let store: SqliteStore;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    store = await SqliteStore.open({ path: ':memory:' });
    // Three phones are a broad enough result list for refinement chips here.
    const engine = await Engine.open({ store, config: { suggest: { refinement: { minResults: 2 } } } });
    await engine.upsertItems(ITEMS);
    await engine.appendEvents(QUERIES);
    server = await serve({ engine, store, port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('searches with a suggestion, shows prices and brands, explains, and logs a click', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);

    await page.locator('#q').pressSequentially('华为');
    const suggestion = page.locator('#suggestions li').first();
    await expect.poll(() => suggestion.textContent()).toBe('华为手机');
    await suggestion.dispatchEvent('mousedown');

    await page.locator('.result').first().waitFor();
    expect(await page.locator('#status').textContent()).toMatch(/results for “华为手机”/);
    const titles = await page.locator('.result .title').allTextContents();
    expect(titles.slice(0, 2).every((t) => t.includes('华为'))).toBe(true);
    expect(await page.locator('.result .price').first().textContent()).toMatch(/^¥\d/);
    expect(await page.locator('.result .meta').first().textContent()).toContain('华为');

    await page.locator('#explain').check();
    await page.locator('.why').first().waitFor();
    expect(await page.locator('#trace tbody tr').count()).toBe(4);

    await page.locator('.result .title').first().click();
    await page.locator('#similar').waitFor({ state: 'visible' });
    await expect.poll(async () => (await store.countEvents({ types: ['click', 'suggestion_click'] })).total).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers the hint word, guess chips, refinement chips and related searches, and logs where each search came from', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);
    const status = page.locator('#status');

    // A new user: the hint and the chips are the popular queries (cold start).
    await expect.poll(() => page.locator('#q').getAttribute('placeholder')).toMatch(/^(华为手机|手机)$/);
    const hint = (await page.locator('#q').getAttribute('placeholder')) as string;
    const guess = page.locator('#guess .chip', { hasText: /^手机$/ });
    await guess.waitFor();
    await guess.click();
    await expect.poll(() => status.textContent()).toMatch(/^3 results for “手机”/);
    expect(await page.locator('#guess').isHidden()).toBe(true);

    // 华为 keeps 2 of the 3 phones; applying it filters the same query.
    const huawei = page.locator('#refinements .chip', { hasText: '华为' });
    await huawei.waitFor();
    expect(await page.locator('#refinements .chip .kind').allTextContents()).toContain('价格');
    await huawei.click();
    await expect.poll(() => status.textContent()).toMatch(/^2 results for “手机” \(refined\)/);
    expect((await page.locator('.result .meta').allTextContents()).every((m) => m.startsWith('华为'))).toBe(true);

    const related = page.locator('#related .chip', { hasText: '华为手机' });
    await related.waitFor();
    await related.click();
    await expect.poll(() => status.textContent()).toMatch(/results for “华为手机”/);

    // Searching with an empty box takes the hint word.
    await page.locator('#q').fill('');
    await page.locator('#q').press('Enter');
    await expect.poll(() => status.textContent()).toMatch(new RegExp(`results for “${hint}”`));

    const sources = async () => {
      const found: string[] = [];
      for await (const event of store.readEvents({ types: ['query'] })) if (event.type === 'query' && event.userId.startsWith('web-')) found.push(event.source);
      return found;
    };
    // The first test's searches (same browser, same user) came first: a suggestion, then the re-search with explain.
    await expect.poll(sources, { timeout: 10_000 }).toEqual(['suggestion', 'typed', 'guess', 'refinement', 'related', 'hint']);
    expect(errors).toEqual([]);
    await page.close();
  });
});
