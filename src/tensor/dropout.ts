/**
 * Dropout (Srivastava et al. 2014), inverted: kept values are scaled by 1/(1-p) so inference needs
 * no rescaling. The mask is not stored: each call draws one 32-bit seed from the caller's Rng and
 * the mask is a stateless hash of (seed, element index) (Wellons' lowbias32), so backward
 * recomputes it and the only saved state is 4 bytes.
 *
 * Checkpointing recomputes a segment, and its dropout must drop the same elements the second time:
 * `recordSeeds` captures the seeds drawn inside a function and `replaySeeds` feeds them back in the
 * same order instead of drawing from the Rng (as PyTorch's checkpoint restores its RNG state).
 */

import { InvalidArgumentError, invariant } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { accumulateFreshGrad, record } from './autograd.js';
import { Tensor } from './tensor.js';

let recording: number[] | null = null;
let replaying: { seeds: readonly number[]; next: number } | null = null;

function drawSeed(rng: Rng): number {
  let seed: number | undefined;
  if (replaying !== null) {
    seed = replaying.seeds[replaying.next++];
    invariant(seed !== undefined, 'checkpoint replay asked for more dropout seeds than its forward pass drew');
  } else seed = rng.nextUint32();
  // Recorded while replaying too: a checkpoint nested in a recomputed one records its own seeds.
  recording?.push(seed);
  return seed;
}

/** Runs `fn`, returning its result and the dropout seeds it drew, in order. */
export function recordSeeds<T>(fn: () => T): { result: T; seeds: number[] } {
  const previous = recording;
  const seeds: number[] = [];
  recording = seeds;
  try {
    const result = fn();
    previous?.push(...seeds);
    return { result, seeds };
  } finally {
    recording = previous;
  }
}

/** Runs `fn` with dropout taking its seeds from `seeds` (in order) instead of any Rng. */
export function replaySeeds<T>(seeds: readonly number[], fn: () => T): T {
  const previous = replaying;
  replaying = { seeds, next: 0 };
  try {
    return fn();
  } finally {
    replaying = previous;
  }
}

/** Wellons' lowbias32: a 32-bit integer hash with low bias (bias 0.17 on his avalanche test). */
function lowbias32(v: number): number {
  let x = v >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Whether element i survives: its hash is at or above p · 2^32. */
function fillMaskScale(seed: number, p: number, out: Float32Array): void {
  const threshold = p * 4294967296;
  const scale = 1 / (1 - p);
  const mixed = lowbias32(seed);
  for (let i = 0; i < out.length; i++) out[i] = lowbias32((i ^ mixed) + seed) >= threshold ? scale : 0;
}

/**
 * Zeroes each element with probability p and scales the rest by 1/(1-p). p = 0 returns x itself.
 * @throws InvalidArgumentError when p is outside [0, 1).
 */
export function dropout(x: Tensor, p: number, rng: Rng): Tensor {
  if (!(p >= 0 && p < 1)) throw new InvalidArgumentError(`dropout: p must be in [0, 1), got ${p}`);
  if (p === 0) return x;
  const seed = drawSeed(rng);
  const maskScale = new Float32Array(x.size);
  fillMaskScale(seed, p, maskScale);
  const y = new Float32Array(x.size);
  for (let i = 0; i < y.length; i++) y[i] = (x.data[i] as number) * (maskScale[i] as number);
  return record(new Tensor(y, x.shape), 'dropout', [x], (g) => {
    const m = new Float32Array(x.size);
    fillMaskScale(seed, p, m);
    for (let i = 0; i < m.length; i++) m[i] = (m[i] as number) * (g[i] as number);
    accumulateFreshGrad(x, m);
  });
}
