/**
 * The latent geometry of the simulated shop: every item and user has a unit vector in a 16-dim space;
 * an item's vector is its leaf category's centroid plus its brand's offset plus noise, a user's is
 * the mix of the centroids they like. The click model reads their dot product.
 */

import type { Rng } from '../core/index.js';

export const LATENT_DIM = 16;

/** A uniformly random direction: normalised Gaussian draws. */
export function randomUnit(rng: Rng): Float32Array {
  const v = new Float32Array(LATENT_DIM);
  for (let d = 0; d < LATENT_DIM; d++) v[d] = rng.normal();
  return normalize(v);
}

/** Scales `v` to unit length in place (a zero vector stays zero) and returns it. */
export function normalize(v: Float32Array): Float32Array {
  let norm = 0;
  for (let d = 0; d < v.length; d++) norm += (v[d] as number) ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < v.length; d++) v[d] = (v[d] as number) / norm;
  return v;
}

/** `target += scale * source`, in place. */
export function addScaled(target: Float32Array, source: Float32Array, scale: number): Float32Array {
  for (let d = 0; d < target.length; d++) target[d] = (target[d] as number) + scale * (source[d] as number);
  return target;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += (a[d] as number) * (b[d] as number);
  return sum;
}

/** Adds `scale` times Gaussian noise to every component, in place. */
export function addNoise(target: Float32Array, rng: Rng, scale: number): Float32Array {
  for (let d = 0; d < target.length; d++) target[d] = (target[d] as number) + scale * rng.normal();
  return target;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The fixed points of the latent space: one centroid per leaf category (near its top-level category's)
 * and one offset per brand and per series. Each is drawn from its own fork, so adding a brand to the
 * tables moves nothing else.
 */
export class LatentSpace {
  readonly leafCentroids: Float32Array[];
  private readonly offsets = new Map<string, Float32Array>();

  constructor(
    private readonly rng: Rng,
    leaves: readonly { id: string; top: { id: string } }[],
  ) {
    const topCentroids = new Map<string, Float32Array>();
    this.leafCentroids = leaves.map((leaf) => {
      let top = topCentroids.get(leaf.top.id);
      if (top === undefined) {
        top = randomUnit(rng.fork(`top/${leaf.top.id}`));
        topCentroids.set(leaf.top.id, top);
      }
      // Leaves of one top-level category share most of their direction: a phone lover leans to tablets.
      return normalize(addScaled(Float32Array.from(top), randomUnit(rng.fork(`leaf/${leaf.id}`)), 0.8));
    });
  }

  /** The brand's direction (shared across its categories: an Apple fan likes Apple phones and laptops). */
  brandOffset(brand: string): Float32Array {
    return this.offset(`brand/${brand}`);
  }

  seriesOffset(brand: string, series: string): Float32Array {
    return this.offset(`series/${brand}/${series}`);
  }

  private offset(label: string): Float32Array {
    let v = this.offsets.get(label);
    if (v === undefined) {
      v = randomUnit(this.rng.fork(label));
      this.offsets.set(label, v);
    }
    return v;
  }
}
