// The first page in a real browser: Debian's Chromium driven by playwright-core. It loads `/`, types a
// query, takes a suggestion, sees results with prices, opens the explanation, and clicks a result (which
// must reach the server as a click event).
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
const QUERIES: EventInput[] = ['u1', 'u2'].map((userId, i) => ({ eventId: `q${i}`, type: 'query', userId, requestId: `r${i}`, query: '华为手机', time: 0 }));

describe.skipIf(!available)('the page in Chromium', () => {
  let store: SqliteStore;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    store = await SqliteStore.open({ path: ':memory:' });
    const engine = await Engine.open({ store });
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
});
