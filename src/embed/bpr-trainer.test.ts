import { describe, expect, it } from 'vitest';
import { Rng } from '../core/index.js';
import { interactionsFromRecords, userItemSets } from './interactions.js';
import { plantedInteractions } from './test-data.js';
import { sampleNegative, trainBpr } from './bpr-trainer.js';

const planted = () => plantedInteractions({ users: 40, items: 24, groups: 3, perUser: 5, seed: 'bpr-test' });

describe('trainBpr', () => {
  it('is deterministic: the same seed gives bit-identical factors, another seed different ones', async () => {
    const data = planted();
    const a = await trainBpr(data, { dim: 8, epochs: 5, seed: 1 });
    const b = await trainBpr(data, { dim: 8, epochs: 5, seed: 1 });
    const c = await trainBpr(data, { dim: 8, epochs: 5, seed: 2 });
    expect(b.model.userFactors).toEqual(a.model.userFactors);
    expect(b.model.itemFactors).toEqual(a.model.itemFactors);
    expect(b.model.itemBias).toEqual(a.model.itemBias);
    expect(c.model.itemFactors).not.toEqual(a.model.itemFactors);
  });

  it('lowers the training loss over the epochs and reports each epoch', async () => {
    const epochs: number[] = [];
    const result = await trainBpr(planted(), { dim: 8, epochs: 20 }, { onProgress: (p) => epochs.push(p.epoch) });
    expect(epochs).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    expect(result.history.at(-1)!.loss).toBeLessThan(result.history[0]!.loss * 0.8);
  });

  it('ranks a user\'s own taste group above the others after training', async () => {
    const data = planted();
    const { model } = await trainBpr(data, { dim: 8, epochs: 40 });
    const scores = new Float32Array(model.nItems);
    let inGroup = 0;
    for (let u = 0; u < model.nUsers; u++) {
      model.scoreUser(u, scores);
      const top = [...scores.keys()].sort((a, b) => (scores[b] as number) - (scores[a] as number)).slice(0, 5);
      inGroup += top.filter((i) => i % 3 === Number(model.userIds.external(u).slice(1)) % 3).length;
    }
    expect(inGroup / (model.nUsers * 5)).toBeGreaterThan(0.9); // chance is 1/3
  });

  it('stops early after `patience` validations without a new best and returns the best epoch\'s factors', async () => {
    const data = planted();
    const values = [0.5, 0.6, 0.55, 0.58, 0.59, 0.4];
    const result = await trainBpr(data, { dim: 4, epochs: 50, patience: 3 }, { validate: (_m, epoch) => values[epoch - 1] ?? 0 });
    expect([result.epochs, result.bestEpoch, result.bestValidation, result.stoppedEarly]).toEqual([5, 2, 0.6, true]);
    const twoEpochs = await trainBpr(data, { dim: 4, epochs: 2 });
    expect(result.model.itemFactors).toEqual(twoEpochs.model.itemFactors);
  });

  it('learns nothing from zero-weight interactions (weights scale the gradient)', async () => {
    const data = { ...planted() };
    const zero = { ...data, weights: new Float32Array(data.users.length) };
    const initial = await trainBpr(zero, { dim: 4, epochs: 0 });
    const trained = await trainBpr(zero, { dim: 4, epochs: 3, regularization: 0, biasRegularization: 0 });
    expect(trained.model.itemFactors).toEqual(initial.model.itemFactors);
  });

  it('stops with CANCELLED when the signal is aborted', async () => {
    const controller = new AbortController();
    const run = trainBpr(planted(), { dim: 4, epochs: 1000 }, { signal: controller.signal, onProgress: (p) => p.epoch === 2 && controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED', message: 'BPR training cancelled at epoch 3 of 1000' });
  });

  it('names a bad option and its value', async () => {
    await expect(trainBpr(planted(), { learningRate: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'BPR option learningRate must be a finite number > 0, got -1' });
    await expect(trainBpr(planted(), { dim: 2.5 })).rejects.toThrow(/option dim must be a positive integer, got 2.5/);
    const oneItem = interactionsFromRecords([{ userId: 'a', itemId: 'x' }]);
    await expect(trainBpr(oneItem)).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
  });
});

describe('sampleNegative', () => {
  it('never returns one of the user\'s items, and -1 for a user who has them all', () => {
    const sets = userItemSets(2, [{ users: Int32Array.from([0, 0, 0, 1, 1, 1, 1]), items: Int32Array.from([0, 2, 3, 0, 1, 2, 3]) }]);
    const rng = new Rng('neg');
    for (let n = 0; n < 200; n++) expect(sampleNegative(sets, 0, 4, rng)).toBe(1);
    expect(sampleNegative(sets, 1, 4, rng)).toBe(-1);
  });
});
