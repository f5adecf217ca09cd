import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/index.js';
import { BPR_FORMAT_VERSION, decodeBprModel, encodeBprModel, loadBprModel, saveBprModel } from './bpr-format.js';
import { BprModel } from './bpr-model.js';
import { getBprModel, putBprModel } from './store-interactions.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-bpr-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function smallModel(): BprModel {
  return new BprModel(
    { dim: 3, userFactors: Float32Array.from([1, 2, 3, -1, 0.5, 0]), itemFactors: Float32Array.from([0.1, 0.2, 0.3, 4, 5, 6]), itemBias: Float32Array.from([0.5, -0.5]) },
    { userIds: ['ann', '用户'], itemIds: ['x', 'y'] },
  );
}

describe('BPR model file', () => {
  it('round-trips factors, biases, ids and meta exactly', async () => {
    const path = join(dir, 'model.qbpr');
    await saveBprModel(path, smallModel(), { epochs: 3 });
    const { model, meta } = await loadBprModel(path);
    expect(model.userFactors).toEqual(smallModel().userFactors);
    expect(model.itemFactors).toEqual(smallModel().itemFactors);
    expect(model.itemBias).toEqual(smallModel().itemBias);
    expect([model.userIndex('用户'), model.itemIndex('y'), meta]).toEqual([1, 1, { epochs: 3 }]);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]); // the temporary file was renamed
  });

  it('still loads the committed fixture of format version 1', async () => {
    const { model, meta } = await loadBprModel(fileURLToPath(new URL('./fixtures/bpr-v1.qbpr', import.meta.url)));
    expect([model.dim, [...model.userIds.toArray()], [...model.itemIds.toArray()], meta]).toEqual([2, ['ann', 'bob'], ['x', 'y', 'z'], { note: 'format v1 fixture' }]);
    // bob = (0.25, 2); y = (0, 1) with bias -0.2: 2 - 0.2
    expect(model.score(model.userIndex('bob'), model.itemIndex('y'))).toBeCloseTo(1.8, 6);
    expect([...model.itemBias]).toEqual([Math.fround(0.1), Math.fround(-0.2), 0]);
  });

  it('refuses what is not a BPR model, another version, or a truncated file, with INCOMPATIBLE_FORMAT', async () => {
    const bytes = encodeBprModel(smallModel());
    expect(() => decodeBprModel(new TextEncoder().encode('hello world!'))).toThrow(/not a Quarry BPR model/);
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(4, BPR_FORMAT_VERSION + 1, true);
    expect(() => decodeBprModel(newer)).toThrow(expect.objectContaining({ code: 'INCOMPATIBLE_FORMAT', message: 'BPR model has BPR format version 2; this Quarry reads version 1' }));
    expect(() => decodeBprModel(bytes.subarray(0, bytes.length - 4))).toThrow(/holds \d+ bytes; its header \(2 users, 2 items, dim 3\) needs \d+/);
    const path = join(dir, 'garbage.qbpr');
    await writeFile(path, 'QBPR');
    await expect(loadBprModel(path)).rejects.toMatchObject({ code: 'INCOMPATIBLE_FORMAT' });
    await expect(loadBprModel(join(dir, 'missing.qbpr'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('goes into the store\'s model registry and comes back as the latest version', async () => {
    const store = await SqliteStore.open({ path: ':memory:' });
    try {
      expect(await getBprModel(store)).toBeUndefined();
      const info = await putBprModel(store, smallModel(), { meta: { note: 'test' } });
      expect([info.name, info.version, info.formatVersion, info.meta]).toEqual(['bpr', 1, BPR_FORMAT_VERSION, { dim: 3, users: 2, items: 2, note: 'test' }]);
      const loaded = await getBprModel(store);
      expect(loaded?.model.itemFactors).toEqual(smallModel().itemFactors);
    } finally {
      await store.close();
    }
  });
});
