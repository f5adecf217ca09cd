import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { Rng } from './rng.js';

const draws = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draws(new Rng(42), 20)).toEqual(draws(new Rng(42), 20));
    expect(draws(new Rng(42), 20)).not.toEqual(draws(new Rng(43), 20));
    expect(draws(new Rng('42'), 5)).toEqual(draws(new Rng(42), 5)); // seeds are compared as strings
  });

  it('forks streams from the seed, not from how much the parent has drawn', () => {
    const a = new Rng('s');
    const b = new Rng('s');
    draws(b, 100);
    expect(draws(a.fork('users'), 10)).toEqual(draws(b.fork('users'), 10));
    expect(draws(a.fork('users'), 10)).not.toEqual(draws(a.fork('items'), 10));
  });

  it('draws uniform floats in [0, 1) with the right mean', () => {
    const xs = draws(new Rng(1), 100_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005); // sd of the mean is 0.29/sqrt(1e5) ≈ 0.0009
  });

  it('draws integers in [0, n) covering every value', () => {
    const rng = new Rng(2);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const x = rng.int(7);
      expect(Number.isInteger(x) && x >= 0 && x < 7).toBe(true);
      seen.add(x);
    }
    expect(seen.size).toBe(7);
    expect(() => rng.int(0)).toThrow(InvalidArgumentError);
    expect(() => rng.int(2.5)).toThrow(/positive integer/);
  });

  it('draws normals with the asked mean and standard deviation', () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 50_000 }, () => rng.normal(10, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean - 10)).toBeLessThan(0.05); // sd of the mean ≈ 0.009
    expect(Math.abs(sd - 2)).toBeLessThan(0.05);
  });

  it('draws gamma and Dirichlet variates with the right means', () => {
    const rng = new Rng(4);
    for (const shape of [0.5, 1, 3]) {
      const xs = Array.from({ length: 40_000 }, () => rng.gamma(shape));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      expect(Math.abs(mean - shape) / shape).toBeLessThan(0.03); // gamma(k, 1) has mean k
    }
    const point = rng.dirichlet([1, 2, 3]);
    expect(point.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it('picks by weight in proportion and never picks a zero weight', () => {
    const rng = new Rng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.weightedIndex([1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
    expect(() => rng.weightedIndex([0, 0])).toThrow(/positive weight/);
    expect(() => rng.weightedIndex([1, -1])).toThrow(/weight 1 is -1/);
  });

  it('shuffles into a permutation and samples distinct elements', () => {
    const rng = new Rng(6);
    const shuffled = rng.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffled).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const sample = rng.sample(['a', 'b', 'c', 'd'], 3);
    expect(new Set(sample).size).toBe(3);
    expect(rng.sample(['a'], 5)).toEqual(['a']);
  });

  it('gives Poisson counts with mean lambda on both sides of the switch to the normal approximation', () => {
    const rng = new Rng(7);
    for (const lambda of [2, 50]) {
      const xs = Array.from({ length: 20_000 }, () => rng.poisson(lambda));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      expect(Math.abs(mean - lambda) / lambda).toBeLessThan(0.03);
    }
  });
});
