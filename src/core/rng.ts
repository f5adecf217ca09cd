/**
 * A seeded pseudo-random number generator: every random choice in Quarry (simulation, sampling,
 * initialisation, shuffling) comes from one of these, so the same seed gives the same world, index,
 * model and metrics.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, period >= 2^32,
 * passes PractRand to 2^40+), seeded by hashing the seed with cyrb128. `fork(label)` derives an
 * independent stream from the *seed* and a label, not from the parent's current state, so adding draws
 * in one part of a program never shifts the numbers another part sees.
 */

import { InvalidArgumentError } from './errors.js';

export type Seed = number | string;

export class Rng {
  readonly seed: string;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  constructor(seed: Seed) {
    this.seed = String(seed);
    [this.a, this.b, this.c, this.d] = cyrb128(this.seed);
    // Discard the first outputs: sfc32's first values are correlated with a weak seed.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** An independent stream named `label`, reproducible from this generator's seed alone. */
  fork(label: Seed): Rng {
    return new Rng(`${this.seed}/${String(label)}`);
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const out = (t + this.d) | 0;
    this.c = (this.c + out) | 0;
    return out >>> 0;
  }

  /** A uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /**
   * A uniform integer in [0, n).
   * @throws InvalidArgumentError when n is not a positive integer below 2^32.
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new InvalidArgumentError(`rng.int needs a positive integer bound up to 2^32, got ${n}`);
    }
    // Rejection sampling removes the modulo bias.
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A uniform integer in [min, max], both ends included. */
  intBetween(min: number, max: number): number {
    if (max < min) throw new InvalidArgumentError(`rng.intBetween needs min <= max, got ${min} > ${max}`);
    return min + this.int(max - min + 1);
  }

  /** True with probability p. */
  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  /** A normal variate (Marsaglia's polar method; the second value is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + sd * u * f;
  }

  /** exp(N(mu, sigma)): prices, sizes, durations. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** An exponential variate with the given rate (mean 1 / rate). */
  exponential(rate: number): number {
    if (!(rate > 0)) throw new InvalidArgumentError(`rng.exponential needs rate > 0, got ${rate}`);
    return -Math.log(1 - this.next()) / rate;
  }

  /** A gamma variate with shape k and scale 1 (Marsaglia & Tsang 2000; boosted for k < 1). */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new InvalidArgumentError(`rng.gamma needs shape > 0, got ${shape}`);
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** A point on the simplex drawn from Dirichlet(alpha). */
  dirichlet(alpha: readonly number[]): number[] {
    const draws = alpha.map((a) => this.gamma(a));
    const sum = draws.reduce((s, x) => s + x, 0);
    return draws.map((x) => x / sum);
  }

  /** A Poisson count with mean lambda (Knuth's product method below 30, a rounded normal above). */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new InvalidArgumentError(`rng.poisson needs lambda >= 0, got ${lambda}`);
    if (lambda >= 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /**
   * A uniformly chosen element.
   * @throws InvalidArgumentError on an empty array.
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new InvalidArgumentError('rng.pick needs a non-empty array');
    return items[this.int(items.length)] as T;
  }

  /**
   * An index drawn with probability proportional to its weight.
   * @throws InvalidArgumentError when no weight is positive or one is negative or not finite.
   */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (!(w >= 0) || !Number.isFinite(w)) {
        throw new InvalidArgumentError(`rng.weightedIndex: weight ${i} is ${w}, weights must be finite and >= 0`);
      }
      total += w;
    }
    if (!(total > 0)) throw new InvalidArgumentError('rng.weightedIndex needs at least one positive weight');
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    // Rounding can leave r at +0 after the last subtraction: return the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return i;
    return weights.length - 1;
  }

  /** An element drawn with probability proportional to `weight(element)`. */
  weightedPick<T>(items: readonly T[], weight: (item: T) => number): T {
    return items[this.weightedIndex(items.map(weight))] as T;
  }

  /** Shuffles in place (Fisher-Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** k distinct elements in random order (k is capped at the array's length). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + this.int(copy.length - i);
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }

  /** A random identifier of `length` characters from [0-9a-z], for request and event ids. */
  id(length = 16): string {
    const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

/** cyrb128 (bryc): a fast 128-bit string hash, used only to spread a seed over sfc32's state. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
