import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncompatibleFormatError } from '../core/index.js';
import { createCtrModel, type CtrModelSpec } from './create-ctr-model.js';
import { FeatureDictionary } from './feature-map.js';
import { fitCtrModel } from './fit.js';
import { FIXTURE_PROBE } from './fixtures/fixture-data.js';
import { CTR_MODEL_FORMAT_VERSION, decodeCtrModel, encodeCtrModel, loadCtrModel, saveCtrModel } from './model-file.js';
import { parseSparseText } from './sparse-reader.js';
import { plantedCtrData } from './test-data.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-ctr-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SPECS: CtrModelSpec[] = [
  { kind: 'lr', config: { l1: 0.01 } },
  { kind: 'fm', config: { k: 3, optimizer: 'sgd' } },
  { kind: 'fm', config: { k: 4 } },
  { kind: 'ffm', config: { k: 4, linear: false } },
];

describe('CTR model file', () => {
  it.each(SPECS.map((spec) => [`${spec.kind} ${JSON.stringify(spec.config)}`, spec] as const))(
    'saves and loads a %s model that predicts identically and trains on identically',
    async (_, spec) => {
      const { batch } = plantedCtrData({ rows: 300, randomValues: true });
      const model = createCtrModel(spec, { nFeatures: batch.nFeatures, nFields: batch.nFields, seed: 'save' });
      fitCtrModel(model, batch, { epochs: 2 });
      const featureMap = new FeatureDictionary({ tokens: ['a', 'b'], nFields: 3, frozen: true });
      const path = join(dir, `${spec.kind}.qctr`);
      await saveCtrModel(path, { model, featureMap, calibration: [{ kind: 'downsampling', negativeRate: 0.5 }], metadata: { auc: 0.7 } });
      const loaded = await loadCtrModel(path);
      expect(loaded.model.header()).toEqual(model.header());
      expect([...loaded.model.predictBatch(batch)]).toEqual([...model.predictBatch(batch)]);
      expect(loaded.featureMap?.toJSON()).toEqual(featureMap.toJSON());
      expect(loaded.calibration).toEqual([{ kind: 'downsampling', negativeRate: 0.5 }]);
      expect(loaded.metadata).toEqual({ auc: 0.7 });
      // The optimizer state came along too: one more epoch gives the same parameters.
      const order = Int32Array.from({ length: batch.size }, (_, i) => i);
      model.trainRows(batch, order);
      loaded.model.trainRows(batch, order);
      expect([...loaded.model.predictBatch(batch)]).toEqual([...model.predictBatch(batch)]);
      expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
  );

  it.each(['lr', 'fm', 'ffm'])(`still loads the committed format-version-${CTR_MODEL_FORMAT_VERSION} %s fixture and predicts what it predicted`, (kind) => {
    const bytes = readFileSync(new URL(`./fixtures/ctr-v1-${kind}.qctr`, import.meta.url));
    const expected = (JSON.parse(readFileSync(new URL('./fixtures/ctr-v1-expected.json', import.meta.url), 'utf8')) as Record<string, number[]>)[kind];
    const { model, featureMap, metadata } = decodeCtrModel(bytes);
    expect(model.kind).toBe(kind);
    expect(metadata).toEqual({ fixture: `ctr-v1-${kind}.qctr` });
    const probe = parseSparseText(FIXTURE_PROBE, { featureMap: featureMap ?? new FeatureDictionary() });
    expect(probe.unknownTokens).toBe(1); // "purple" was never seen in training
    const predictions = [...model.predictBatch(probe.batch)];
    predictions.forEach((p, i) => expect(p).toBeCloseTo(expected?.[i] ?? Number.NaN, 6));
  });

  it('refuses bytes that are not a model file, another format version, a truncated file or a bad header', () => {
    const { batch } = plantedCtrData({ rows: 10 });
    const bytes = encodeCtrModel({ model: createCtrModel({ kind: 'ffm' }, { nFeatures: batch.nFeatures, nFields: batch.nFields }) });
    expect(() => decodeCtrModel(new TextEncoder().encode('GIF89a......'))).toThrow(IncompatibleFormatError);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(4, CTR_MODEL_FORMAT_VERSION + 1, true);
    expect(() => decodeCtrModel(newer)).toThrow(/format version 2; this Quarry reads version 1/);
    expect(() => decodeCtrModel(bytes.slice(0, bytes.length - 8))).toThrow(/truncated in array/);
    const badHeader = bytes.slice();
    badHeader[12] = 0x20; // the header's opening brace
    expect(() => decodeCtrModel(badHeader)).toThrow(IncompatibleFormatError);
  });
});
