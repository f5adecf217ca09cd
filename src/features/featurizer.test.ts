import { describe, expect, it } from 'vitest';
import { IncompatibleFormatError, InvalidArgumentError } from '../core/index.js';
import { Featurizer, type RawFeatures } from './index.js';

const rows: RawFeatures[] = [
  { price: 10, brand: 'a', tags: ['x', 'y'], pos: 1 },
  { price: 20, brand: 'a', tags: ['x'], pos: 2 },
  { price: 30, brand: 'b', tags: [], pos: 1 },
  { price: 40, brand: 'c', tags: ['x', 'x', 'z'], pos: 3 },
  { brand: 'a', pos: 2 },
];

const spec = [
  { name: 'price', type: 'numeric' as const, buckets: 4 },
  { name: 'raw_price', type: 'numeric' as const, buckets: 0 },
  { name: 'brand', type: 'categorical' as const, minCount: 2 },
  { name: 'tags', type: 'sequence' as const },
  { name: 'brand_x_pos', type: 'cross' as const, of: ['brand', 'pos'] as [string, string], hashBuckets: 64 },
  { name: 'pos', type: 'categorical' as const },
];

describe('Featurizer', () => {
  const featurizer = Featurizer.fit(spec, rows);

  it('lays fields out one after another, each with its missing feature last', () => {
    const sizes = featurizer.fields.map((f) => [f.name, f.offset, f.size]);
    // price: 4 quantile buckets of 10..40 (3 edges) + missing; raw_price: value + missing;
    // brand: vocabulary {a} (b and c seen once) + out-of-vocabulary + missing; tags: {x, y, z} + oov + missing.
    expect(sizes.slice(0, 4)).toEqual([
      ['price', 0, 5],
      ['raw_price', 5, 2],
      ['brand', 7, 3],
      ['tags', 10, 5],
    ]);
    expect(featurizer.featureCount).toBe(10 + 5 + 65 + 5);
  });

  it('buckets by training quantiles, sends rare and unseen categories out of vocabulary, and marks missing values', () => {
    const row = featurizer.transform({ price: 35, brand: 'zzz', tags: ['x', 'y', 'x', 'q'], pos: 1 });
    const byField = (name: string) => {
      const f = featurizer.fields.findIndex((field) => field.name === name);
      return row.indices.flatMap((index, i) => (row.fields[i] === f ? [[featurizer.describe(index), row.values[i]]] : []));
    };
    expect(byField('price')).toEqual([['price#3', 1]]);
    expect(byField('raw_price')).toEqual([['raw_price=<missing>', 1]]);
    expect(byField('brand')).toEqual([['brand=<other>', 1]]);
    // Mean pooling: x twice, y and the unseen q once each, over 4 elements.
    expect(byField('tags')).toEqual([
      ['tags=x', 0.5],
      ['tags=y', 0.25],
      ['tags=<other>', 0.25],
    ]);
    const empty = featurizer.transform({});
    expect(empty.fields).toEqual([0, 1, 2, 3, 4, 5]);
    expect(empty.indices.map((i) => featurizer.describe(i))).toEqual([
      'price=<missing>',
      'raw_price=<missing>',
      'brand=<missing>',
      'tags=<missing>',
      'brand_x_pos=<missing>',
      'pos=<missing>',
    ]);
  });

  it('standardises a plain numeric with the training mean and deviation', () => {
    const f = Featurizer.fit([{ name: 'raw_price', type: 'numeric', buckets: 0 }], [{ raw_price: 1 }, { raw_price: 3 }]);
    expect(f.transform({ raw_price: 3 }).values[0]).toBeCloseTo(1 / Math.SQRT2, 12);
  });

  it('transforms identically after a JSON round trip', () => {
    const again = Featurizer.fromJSON(JSON.parse(JSON.stringify(featurizer)));
    for (const row of [...rows, { price: 1e9, brand: 'new', tags: ['w'], pos: 9 }]) expect(again.transform(row)).toEqual(featurizer.transform(row));
  });

  it('refuses another format or version, and invalid specs, with a clear error', () => {
    expect(() => Featurizer.fromJSON({ format: 'quarry-featurizer', version: 99, fields: [] })).toThrow(IncompatibleFormatError);
    expect(() => Featurizer.fromJSON({})).toThrow(IncompatibleFormatError);
    expect(() => Featurizer.fit([{ name: 'c', type: 'cross', of: ['a', 'b'] }], rows)).toThrow(/must name a categorical/);
    expect(() => Featurizer.fit([{ name: 'a', type: 'categorical' }, { name: 'a', type: 'categorical' }], rows)).toThrow(/appears twice/);
    expect(() => Featurizer.fit(spec, [])).toThrow(InvalidArgumentError);
  });
});

describe('feature report', () => {
  it('reports missing rate, constants and outliers per raw feature', async () => {
    const { cleaningReport } = await import('./index.js');
    const data: RawFeatures[] = [...Array.from({ length: 99 }, (_, i) => ({ x: i % 10, c: 'same' })), { x: 1_000, c: 'same', m: 1 }];
    const [x, c, m] = cleaningReport(data, ['x', 'c', 'm']);
    expect(x?.numeric?.outlierRate).toBeCloseTo(0.01, 12);
    expect(x?.missingRate).toBe(0);
    expect(c?.constant).toBe(true);
    expect(m?.missingRate).toBeCloseTo(0.99, 12);
  });

  it('ranks a field that decides the label above one that is noise', async () => {
    const { fieldRelevance } = await import('./index.js');
    const data: RawFeatures[] = Array.from({ length: 400 }, (_, i) => ({ good: i % 2 === 0 ? 'yes' : 'no', noise: String(Math.floor(i / 2) % 2) }));
    const labels = data.map((_, i) => (i % 2 === 0 ? 1 : 0));
    const f = Featurizer.fit([{ name: 'good', type: 'categorical' }, { name: 'noise', type: 'categorical' }], data);
    const [good, noise] = fieldRelevance(f, data.map((r) => f.transform(r)), labels);
    expect(good?.mutualInformation).toBeCloseTo(1, 6); // the label is a function of the field: 1 bit
    expect(noise?.mutualInformation).toBeCloseTo(0, 6);
    expect(good?.informationValue).toBeGreaterThan(3);
    expect(noise?.informationValue).toBeLessThan(0.02);
  });
});
