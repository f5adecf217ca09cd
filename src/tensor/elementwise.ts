/**
 * Elementwise ops. Binary ops broadcast (NumPy rules, shape.ts); a number operand is a constant.
 * Unary ops are a table of one-line rules, tinygrad style: the value, and the derivative from the
 * input x and the output y.
 *
 *   op        forward                         d out / d x
 *   add/sub   a ± b                           1, ±1 (summed over broadcast dimensions)
 *   mul       a · b                           b, a
 *   div       a / b                           1/b, -a/b²
 *   relu      max(x, 0)                       [x > 0]
 *   gelu      x·Φ(x), tanh form (Hendrycks & Gimpel 2016, eq. 2)
 *   silu      x·σ(x) (Elfwing et al. 2018)    σ(x)·(1 + x·(1 - σ(x)))
 */

import { accumulateFreshGrad, needsGrad, record } from './autograd.js';
import { gatherBroadcast, indexMap, reduceTo } from './broadcast.js';
import { broadcastShapes, sizeOf } from './shape.js';
import { Tensor, scalar } from './tensor.js';

export type Operand = Tensor | number;

const asTensor = (x: Operand): Tensor => (typeof x === 'number' ? scalar(x) : x);

type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

function binary(op: BinaryOp, left: Operand, right: Operand): Tensor {
  const a = asTensor(left);
  const b = asTensor(right);
  const shape = broadcastShapes(a.shape, b.shape, op);
  const n = sizeOf(shape);
  const ma = indexMap(a.shape, shape);
  const mb = indexMap(b.shape, shape);
  const x = gatherBroadcast(a.data, ma, n);
  const y = gatherBroadcast(b.data, mb, n);
  const out = new Float32Array(n);
  if (op === 'add') for (let i = 0; i < n; i++) out[i] = (x[i] as number) + (y[i] as number);
  else if (op === 'sub') for (let i = 0; i < n; i++) out[i] = (x[i] as number) - (y[i] as number);
  else if (op === 'mul') for (let i = 0; i < n; i++) out[i] = (x[i] as number) * (y[i] as number);
  else for (let i = 0; i < n; i++) out[i] = (x[i] as number) / (y[i] as number);
  const result = new Tensor(out, shape);
  if (!needsGrad([a, b])) return result;
  return record(result, op, [a, b], (g) => {
    if (a.requiresGrad) accumulateFreshGrad(a, reduceTo(gradLeft(op, g, y), ma, a.size));
    if (b.requiresGrad) accumulateFreshGrad(b, reduceTo(gradRight(op, g, x, y), mb, b.size));
  });
}

/** d out / d a times g, at the broadcast shape. */
function gradLeft(op: BinaryOp, g: Float32Array, y: Float32Array): Float32Array {
  if (op === 'add' || op === 'sub') return g.slice();
  const out = new Float32Array(g.length);
  if (op === 'mul') for (let i = 0; i < out.length; i++) out[i] = (g[i] as number) * (y[i] as number);
  else for (let i = 0; i < out.length; i++) out[i] = (g[i] as number) / (y[i] as number);
  return out;
}

/** d out / d b times g, at the broadcast shape. */
function gradRight(op: BinaryOp, g: Float32Array, x: Float32Array, y: Float32Array): Float32Array {
  if (op === 'add') return g.slice();
  const out = new Float32Array(g.length);
  if (op === 'sub') for (let i = 0; i < out.length; i++) out[i] = -(g[i] as number);
  else if (op === 'mul') for (let i = 0; i < out.length; i++) out[i] = (g[i] as number) * (x[i] as number);
  else for (let i = 0; i < out.length; i++) out[i] = (-(g[i] as number) * (x[i] as number)) / ((y[i] as number) * (y[i] as number));
  return out;
}

/** a + b, broadcast. @throws InvalidArgumentError naming both shapes when they do not broadcast. */
export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b);
/** a - b, broadcast. @throws InvalidArgumentError naming both shapes when they do not broadcast. */
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b);
/** a · b elementwise, broadcast. @throws InvalidArgumentError naming both shapes when they do not broadcast. */
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b);
/** a / b elementwise, broadcast. @throws InvalidArgumentError naming both shapes when they do not broadcast. */
export const div = (a: Operand, b: Operand): Tensor => binary('div', a, b);

interface UnaryRule {
  f: (x: number) => number;
  /** d f / d x from the input x and the output y. */
  df: (x: number, y: number) => number;
}

const GELU_C = Math.sqrt(2 / Math.PI);
const sigmoidOf = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const UNARY = {
  neg: { f: (x) => -x, df: () => -1 },
  exp: { f: Math.exp, df: (_x, y) => y },
  log: { f: Math.log, df: (x) => 1 / x },
  sqrt: { f: Math.sqrt, df: (_x, y) => 0.5 / y },
  square: { f: (x) => x * x, df: (x) => 2 * x },
  abs: { f: Math.abs, df: (x) => Math.sign(x) },
  tanh: { f: Math.tanh, df: (_x, y) => 1 - y * y },
  sigmoid: { f: sigmoidOf, df: (_x, y) => y * (1 - y) },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0) },
  silu: { f: (x) => x * sigmoidOf(x), df: (x) => { const s = sigmoidOf(x); return s * (1 + x * (1 - s)); } },
  gelu: {
    f: (x) => 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x))),
    df: (x) => {
      const t = Math.tanh(GELU_C * (x + 0.044715 * x * x * x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x);
    },
  },
} satisfies Record<string, UnaryRule>;

export type UnaryOp = keyof typeof UNARY;

/** Applies a unary rule elementwise, recording its derivative. */
export function unary(op: UnaryOp, a: Tensor): Tensor {
  const rule: UnaryRule = UNARY[op];
  const x = a.data;
  const y = new Float32Array(a.size);
  for (let i = 0; i < y.length; i++) y[i] = rule.f(x[i] as number);
  return record(new Tensor(y, a.shape), op, [a], (g) => {
    const ga = new Float32Array(a.size);
    for (let i = 0; i < ga.length; i++) ga[i] = (g[i] as number) * rule.df(x[i] as number, y[i] as number);
    accumulateFreshGrad(a, ga);
  });
}

export const neg = (a: Tensor): Tensor => unary('neg', a);
export const exp = (a: Tensor): Tensor => unary('exp', a);
export const log = (a: Tensor): Tensor => unary('log', a);
export const sqrt = (a: Tensor): Tensor => unary('sqrt', a);
export const square = (a: Tensor): Tensor => unary('square', a);
export const abs = (a: Tensor): Tensor => unary('abs', a);
export const tanh = (a: Tensor): Tensor => unary('tanh', a);
export const sigmoid = (a: Tensor): Tensor => unary('sigmoid', a);
export const relu = (a: Tensor): Tensor => unary('relu', a);
export const silu = (a: Tensor): Tensor => unary('silu', a);
export const gelu = (a: Tensor): Tensor => unary('gelu', a);
