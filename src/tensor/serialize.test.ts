import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import { backward } from './autograd.js';
import { Linear } from './layers.js';
import { Adam, Sgd } from './optimizers.js';
import { sum } from './reduce.js';
import { decodeState, encodeState, readStateFile, restoreState, writeStateFile } from './serialize.js';
import { tensor } from './tensor.js';

const fixture = new URL('./fixtures/state-v1.qtns', import.meta.url).pathname;

describe('tensor state serialization', () => {
  it('loads the committed version-1 fixture (a 2x3 weight, a bias and Adam after one step)', async () => {
    const state = await readStateFile(fixture);
    expect(state.metadata).toEqual({ model: 'fixture', dim: 3 });
    expect(state.tensors.get('weight')?.shape).toEqual([2, 3]);
    expect(Array.from(state.tensors.get('bias')?.data ?? [])).toEqual([Math.fround(0.99), 2, Math.fround(3.01)]);
    expect(state.optimizer?.kind).toBe('adam');
    expect(state.optimizer?.step).toBe(1);
    // After one Adam step m = (1 - β1) g: 0.1 · 0.5 for the bias' first entry.
    expect(state.optimizer?.slots.bias?.m?.[0]).toBeCloseTo(0.05, 7);
  });

  it('round-trips parameters and optimizer state, so training resumes identically', () => {
    const make = (): { layer: Linear; opt: Adam } => {
      const layer = new Linear(4, 3, { rng: new Rng(1) });
      return { layer, opt: new Adam(layer.namedParameters(), { lr: 0.01 }) };
    };
    const step = (layer: Linear, opt: Adam): void => {
      opt.zeroGrad();
      backward(sum(layer.forward(tensor([1, 2, 3, 4], [1, 4]))));
      opt.step();
    };
    const a = make();
    step(a.layer, a.opt);
    const bytes = encodeState(a.layer.namedParameters(), { optimizer: a.opt });
    const b = make();
    restoreState(decodeState(bytes), b.layer.namedParameters(), b.opt);
    step(a.layer, a.opt);
    step(b.layer, b.opt);
    expect(Array.from(b.layer.weight.data)).toEqual(Array.from(a.layer.weight.data));
  });

  it('writes atomically: the file appears whole and no temporary file is left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quarry-tensor-'));
    try {
      const path = join(dir, 'state.qtns');
      await writeStateFile(path, encodeState([['x', tensor([1, 2])]]));
      expect(await readdir(dir)).toEqual(['state.qtns']);
      expect(Array.from((await readStateFile(path)).tensors.get('x')?.data ?? [])).toEqual([1, 2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses other formats and versions, and names mismatched shapes', () => {
    const bytes = encodeState([['w', tensor([1, 2, 3, 4], [2, 2])]]);
    const future = bytes.slice();
    future[4] = 9;
    expect(() => decodeState(future)).toThrow(/format version 9, this build reads version 1/);
    expect(() => decodeState(new Uint8Array(20))).toThrow(/not a QTNS file/);
    expect(() => restoreState(decodeState(bytes), [['w', tensor([1, 2, 3, 4], [4, 1])]])).toThrow(/'w' was saved with shape \[2, 2\], the model has \[4, 1\]/);
    expect(() => new Sgd([tensor([1])], { lr: 1 }).importState({ kind: 'adam', step: 0, hyperparameters: {}, slots: {} })).toThrow(/state is for adam/);
  });
});
