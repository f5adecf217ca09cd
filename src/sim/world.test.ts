import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ItemSchema, NotFoundError, UserSchema, type Item } from '../core/index.js';
import { TIER_PRICE_FACTOR, type Tier } from './data/index.js';
import { dot } from './latent.js';
import { DEFAULT_WORLD_CONFIG, generateWorld } from './index.js';

const world = generateWorld();
const DAY_MS = 86_400_000;

function worldJson(config: Parameters<typeof generateWorld>[0]): string {
  const w = generateWorld(config);
  return JSON.stringify({ items: w.items, users: w.users, categories: w.categories });
}

describe('generateWorld: determinism', () => {
  it('gives byte-identical items, users and categories for the same config', () => {
    expect(worldJson({ items: 600, users: 200, seed: 7 })).toBe(worldJson({ items: 600, users: 200, seed: 7 }));
  });

  it('gives a different world for a different seed', () => {
    expect(worldJson({ items: 600, users: 200, seed: 7 })).not.toBe(worldJson({ items: 600, users: 200, seed: 8 }));
  });

  it('keeps the first items and users when the world grows, because each is drawn from its own fork', () => {
    const small = generateWorld({ items: 300, users: 100, seed: 3 });
    const large = generateWorld({ items: 900, users: 400, seed: 3 });
    expect(JSON.stringify(large.items.slice(0, 300))).toBe(JSON.stringify(small.items));
    expect(JSON.stringify(large.users.slice(0, 100))).toBe(JSON.stringify(small.users));
  });
});

describe('generateWorld: records', () => {
  it('makes the configured number of items and users with readable ids', () => {
    expect(world.items).toHaveLength(DEFAULT_WORLD_CONFIG.items);
    expect(world.users).toHaveLength(DEFAULT_WORLD_CONFIG.users);
    expect(world.items[41]?.id).toBe('i00042');
    expect(world.users[41]?.id).toBe('u00042');
  });

  it('writes every item and user already in canonical schema form (parsing changes nothing)', () => {
    for (const item of world.items) expect(ItemSchema.parse(item)).toEqual(item);
    for (const user of world.users) expect(UserSchema.parse(user)).toEqual(user);
  });

  it("puts the brand's Chinese name in the title of every branded item", () => {
    const branded = world.items.filter((item) => item.brand !== undefined);
    expect(branded.length).toBeGreaterThan(world.items.length * 0.98);
    for (const item of branded) expect(item.title).toContain(item.brand);
  });

  it('gives every product and ad a positive price and a root-first Chinese category path of the tree', () => {
    const leafPaths = new Set(world.leaves.map((leaf) => leaf.path.join('/')));
    for (const item of world.items) {
      expect(leafPaths.has(item.categoryPath.join('/'))).toBe(true);
      if (item.kind !== 'content') expect(item.price).toBeGreaterThan(0);
    }
  });

  it('prices premium brands above mid above budget on average, as TIER_PRICE_FACTOR says', () => {
    const levels: Record<Tier, number[]> = { budget: [], mid: [], premium: [] };
    for (const item of world.items) {
      const truth = world.itemTruth(item.id);
      if (truth.tier !== undefined) levels[truth.tier].push(truth.priceLevel);
    }
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(levels.budget)).toBeLessThan(mean(levels.mid));
    expect(mean(levels.mid)).toBeLessThan(mean(levels.premium));
    // ln(2.1 / 0.55) = 1.34 between the tier factors; series and attributes blur it but keep most of it.
    expect(mean(levels.premium) - mean(levels.budget)).toBeGreaterThan(0.7 * Math.log(TIER_PRICE_FACTOR.premium / TIER_PRICE_FACTOR.budget));
  });

  it('makes about adShare of the items ads, each with a CPC bid in [0.2, 5], and only ads carry bids', () => {
    const ads = world.items.filter((item) => item.kind === 'ad');
    // Binomial(5000, 0.03) has sd 0.24 points: 1 point is four sd.
    expect(Math.abs(ads.length / world.items.length - DEFAULT_WORLD_CONFIG.adShare)).toBeLessThan(0.01);
    for (const ad of ads) {
      expect(ad.bid).toBeGreaterThanOrEqual(0.2);
      expect(ad.bid).toBeLessThanOrEqual(5);
    }
    expect(world.items.filter((item) => item.kind !== 'ad' && item.bid !== undefined)).toEqual([]);
    const meanBid = (leafZh: string): number => {
      const bids = ads.filter((ad) => ad.categoryPath[1] === leafZh).map((ad) => ad.bid ?? 0);
      return bids.reduce((s, b) => s + b, 0) / bids.length;
    };
    expect(meanBid('笔记本电脑')).toBeGreaterThan(meanBid('零食'));
  });

  it('makes about contentShare of the items content cards with a category and no price', () => {
    const content = world.items.filter((item) => item.kind === 'content');
    expect(Math.abs(content.length / world.items.length - DEFAULT_WORLD_CONFIG.contentShare)).toBeLessThan(0.006);
    for (const card of content) {
      expect(card.price).toBeUndefined();
      expect(card.categoryPath).toHaveLength(2);
    }
  });

  it('creates items over the year before startTime, a few percent of them in its last week', () => {
    const start = DEFAULT_WORLD_CONFIG.startTime;
    const ages = world.items.map((item) => (start - (item.createdAt ?? 0)) / DAY_MS);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(365);
    const newShare = ages.filter((age) => age < 7).length / ages.length;
    expect(newShare).toBeGreaterThan(0.02);
    expect(newShare).toBeLessThan(0.08);
  });
});

describe('generateWorld: categories', () => {
  it('has the demo categories with Chinese, English and pinyin names', () => {
    const digital = world.categories.find((c) => c.zh === '数码');
    expect(digital?.children.map((c) => c.zh)).toEqual(['手机', '笔记本电脑', '平板电脑', '耳机', '智能手表']);
    const phones = digital?.children[0];
    expect(phones).toMatchObject({ id: 'digital.phones', en: 'Phones', pinyin: 'shouji', path: ['数码', '手机'] });
    expect(world.categories.map((c) => c.zh)).toEqual(expect.arrayContaining(['美妆', '服装', '食品', '图书', '家居']));
  });
});

describe('generateWorld: latent truth', () => {
  it('gives items unit vectors of dim 16 that are closer within a leaf than across top-level categories', () => {
    const phones = world.items.filter((i) => i.categoryPath[1] === '手机').slice(0, 40);
    const lipsticks = world.items.filter((i) => i.categoryPath[1] === '口红').slice(0, 40);
    const vector = (item: Item): Float32Array => world.itemTruth(item.id).vector;
    expect(vector(phones[0] as Item)).toHaveLength(16);
    expect(dot(vector(phones[0] as Item), vector(phones[0] as Item))).toBeCloseTo(1, 5);
    const meanDot = (a: Item[], b: Item[]): number => a.reduce((s, x, i) => s + dot(vector(x), vector(b[(i + 1) % b.length] as Item)), 0) / a.length;
    expect(meanDot(phones, phones)).toBeGreaterThan(meanDot(phones, lipsticks) + 0.3);
  });

  it('has a heavy-tailed popularity prior: a few hits far above the median item', () => {
    const popularity = world.items.map((i) => world.itemTruth(i.id).popularity).sort((a, b) => a - b);
    const median = popularity[popularity.length >> 1] as number;
    expect((popularity[popularity.length - 1] as number) / median).toBeGreaterThan(50);
  });

  it('concentrates each user on a few top-level categories', () => {
    const topThreeMass = world.users.map((u) => {
      const affinity = [...world.userTruth(u.id).topAffinity].sort((a, b) => b - a);
      return (affinity[0] ?? 0) + (affinity[1] ?? 0) + (affinity[2] ?? 0);
    });
    expect(topThreeMass.reduce((s, x) => s + x, 0) / topThreeMass.length).toBeGreaterThan(0.85);
  });

  it('has a few heavy users: the most active 10% carry well over 10% of the activity', () => {
    const activity = world.users.map((u) => world.userTruth(u.id).activity).sort((a, b) => b - a);
    const total = activity.reduce((s, x) => s + x, 0);
    expect(activity.slice(0, activity.length / 10).reduce((s, x) => s + x, 0) / total).toBeGreaterThan(0.25);
  });
});

describe('World.relevance', () => {
  const phone = world.items.find((i) => i.kind === 'product' && i.brand === '华为' && i.categoryPath[1] === '手机') as Item;
  const series = phone.attributes.series as string;

  it('grades by category, brand and series: 3 exact, 2 partly, 1 wrong brand, 0 other category', () => {
    expect(world.relevance({ leafId: 'digital.phones' }, phone.id)).toBe(3);
    expect(world.relevance({ leafId: 'digital.phones', brand: '华为', series }, phone.id)).toBe(3);
    expect(world.relevance({ leafId: 'digital.phones', brand: '华为', series: 'no such series' }, phone.id)).toBe(2);
    expect(world.relevance({ leafId: 'digital.phones', brand: '小米' }, phone.id)).toBe(1);
    expect(world.relevance({ leafId: 'beauty.lipstick' }, phone.id)).toBe(0);
  });

  it('rejects unknown items and categories with errors that name them', () => {
    expect(() => world.relevance({ leafId: 'digital.phones' }, 'nope')).toThrow(NotFoundError);
    expect(() => world.relevance({ leafId: 'digital.phones' }, 'nope')).toThrow(/"nope"/);
    expect(() => world.relevance({ leafId: 'digital' }, phone.id)).toThrow(InvalidArgumentError);
    expect(() => world.userTruth('u99999')).toThrow(NotFoundError);
  });
});

describe('generateWorld: config validation', () => {
  it('rejects sizes and shares outside their range, naming the value', () => {
    expect(() => generateWorld({ items: 0 })).toThrow(/items must be a positive integer, got 0/);
    expect(() => generateWorld({ users: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => generateWorld({ adShare: 1 })).toThrow(/adShare must be in \[0, 1\), got 1/);
    expect(() => generateWorld({ adShare: 0.6, contentShare: 0.5 })).toThrow(/0.6 \+ 0.5/);
    expect(() => generateWorld({ startTime: -1 })).toThrow(InvalidArgumentError);
  });
});
