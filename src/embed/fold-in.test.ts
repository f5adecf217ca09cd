import { describe, expect, it } from 'vitest';
import { trainBpr } from './bpr-trainer.js';
import { foldInUser } from './fold-in.js';
import { plantedInteractions } from './test-data.js';

async function trained() {
  const data = plantedInteractions({ users: 45, items: 30, groups: 3, perUser: 5, seed: 'fold-in-test' });
  return (await trainBpr(data, { dim: 8, epochs: 40 })).model;
}

/** The share of the top 5 (the given items excluded) in `group`. */
function topShareInGroup(scores: Float32Array, given: number[], group: number): number {
  const ranked = [...scores.keys()].filter((i) => !given.includes(i)).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  return ranked.slice(0, 5).filter((i) => i % 3 === group).length / 5;
}

describe('foldInUser', () => {
  it.each(['sgd', 'mean'] as const)('with %s, places a new user who picked three items of one taste group in that group', async (method) => {
    const model = await trained();
    const given = [1, 4, 7]; // group 1
    const vector = foldInUser(model, given, { method });
    const scores = new Float32Array(model.nItems);
    model.scoreItems(vector, scores);
    expect(topShareInGroup(scores, given, 1)).toBeGreaterThanOrEqual(0.8); // chance is 1/3
  });

  it('is deterministic for a seed and ignores repeated items', async () => {
    const model = await trained();
    expect(foldInUser(model, [2, 5, 5, 8], { seed: 's' })).toEqual(foldInUser(model, [8, 2, 5], { seed: 's' }));
  });

  it('gives the zero vector to a user with no items, so the ranking is the learned item biases', async () => {
    const model = await trained();
    expect([...foldInUser(model, [])].every((x) => x === 0)).toBe(true);
  });

  it('names an item outside the model', async () => {
    const model = await trained();
    expect(() => foldInUser(model, [0, 30])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: "fold-in item 30 is outside the model's 0..29" }));
  });
});
