import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scatter, scatterViolations, type ScatterProblem, type ScatterRule } from './scatter.js';

/** All permutations of 0..n-1 in lexicographic order. */
function* permutations(n: number): Generator<number[]> {
  const used = new Array<boolean>(n).fill(false);
  const current: number[] = [];
  function* extend(): Generator<number[]> {
    if (current.length === n) {
      yield current.slice();
      return;
    }
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      used[i] = true;
      current.push(i);
      yield* extend();
      current.pop();
      used[i] = false;
    }
  }
  yield* extend();
}

/** The reference: the lexicographically first permutation with no violation, by enumeration. */
function firstValid(problem: ScatterProblem): number[] | undefined {
  const n = problem.codes[0]?.length ?? 0;
  for (const order of permutations(n)) if (scatterViolations(order, problem).length === 0) return order;
  return undefined;
}

function isPermutation(order: ArrayLike<number>, n: number): boolean {
  const seen = new Set(Array.from(order));
  return order.length === n && seen.size === n && [...seen].every((i) => i >= 0 && i < n);
}

const ruleArb = fc.integer({ min: 2, max: 5 }).chain((window) =>
  fc.record({ window: fc.constant(window), max: fc.integer({ min: 1, max: window - 1 }) }),
);

const problemArb = fc.integer({ min: 1, max: 7 }).chain((n) =>
  fc.array(ruleArb, { minLength: 1, maxLength: 2 }).chain((rules) =>
    fc.record({
      rules: fc.constant(rules as ScatterRule[]),
      codes: fc.tuple(...rules.map(() => fc.array(fc.integer({ min: -1, max: 2 }), { minLength: n, maxLength: n }).map((c) => Int32Array.from(c)))),
    }),
  ),
);

describe('scatter', () => {
  it('returns the lexicographically first valid order whenever one exists (exhaustive search vs enumeration)', () => {
    fc.assert(
      fc.property(problemArb, ({ rules, codes }) => {
        const problem: ScatterProblem = { rules, codes, backtrackLimit: 1_000_000 };
        const result = scatter(problem);
        const n = codes[0]?.length ?? 0;
        expect(isPermutation(result.order, n)).toBe(true);
        const reference = firstValid(problem);
        if (reference === undefined) {
          // No order satisfies the rules: the best effort must say so and name where they gave way.
          expect(result.valid).toBe(false);
          expect(result.relaxations.length).toBeGreaterThan(0);
        } else {
          expect(Array.from(result.order)).toEqual(reference);
          expect(result.valid).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the input order when it already satisfies the rules', () => {
    const codes = [Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1])];
    const result = scatter({ rules: [{ window: 3, max: 1 }], codes, backtrackLimit: 0 });
    expect(Array.from(result.order)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(result.backtracks).toBe(0);
  });

  it('places a dominant brand early enough to stay valid, where a plain greedy would fail at the tail', () => {
    // A B C A A with "no two adjacent A": greedy takes A B C A and is stuck with A; A B A C A is valid.
    const codes = [Int32Array.from([0, 1, 2, 0, 0])];
    const result = scatter({ rules: [{ window: 2, max: 1 }], codes, backtrackLimit: 0 });
    expect(Array.from(result.order)).toEqual([0, 1, 3, 2, 4]);
    expect(result.valid).toBe(true);
    expect(result.backtracks).toBe(0);
  });

  it('satisfies satisfiable rules on 1,000 items without backtracking much', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        let x = seed;
        const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
        const n = 1_000;
        // 40 brands with Zipf-like shares (the largest ~ 1/5 of the list), 12 categories.
        const brand = Int32Array.from({ length: n }, () => Math.floor(40 * rand() ** 2));
        const category = Int32Array.from({ length: n }, () => Math.floor(12 * rand()));
        const problem: ScatterProblem = { rules: [{ window: 6, max: 2 }, { window: 4, max: 2 }], codes: [brand, category], backtrackLimit: 1_000 };
        const result = scatter(problem);
        expect(isPermutation(result.order, n)).toBe(true);
        if (result.valid) expect(scatterViolations(result.order, problem)).toEqual([]);
        else expect(result.relaxations.length).toBeGreaterThan(0);
      }),
      { numRuns: 20 },
    );
  });

  it('relaxes the least important rule first when the rules cannot all hold', () => {
    // Every item has brand 0: "brand ≤ 1 per 2" (rule 1, less important) cannot hold; the shop rule
    // (rule 0, more important) can, and must.
    const brand = new Int32Array(6);
    const shop = Int32Array.from([0, 0, 0, 1, 1, 1]);
    const problem: ScatterProblem = { rules: [{ window: 2, max: 1 }, { window: 2, max: 1 }], codes: [shop, brand], backtrackLimit: 100 };
    const result = scatter(problem);
    expect(result.bestEffort).toBe(true);
    expect(scatterViolations(result.order, { rules: [problem.rules[0]!], codes: [shop] })).toEqual([]);
    expect(result.relaxations.every((r) => r.rules.length === 1 && r.rules[0] === 1)).toBe(true);
    expect(Array.from(result.order)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('treats items without a value as free', () => {
    const codes = [Int32Array.from([0, 0, -1, -1, 0])];
    const result = scatter({ rules: [{ window: 2, max: 1 }], codes, backtrackLimit: 0 });
    expect(Array.from(result.order)).toEqual([0, 2, 1, 3, 4]);
  });
});
