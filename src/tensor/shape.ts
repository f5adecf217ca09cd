/**
 * Shapes: sizes, row-major strides, broadcasting (NumPy rules: align trailing dimensions; a dimension
 * of 1 stretches), and the shape errors every op raises, which always name both shapes.
 */

import { InvalidArgumentError } from '../core/errors.js';

export type Shape = readonly number[];

/** `[2, 3]` → `[2, 3]` as text, for error messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Number of elements: the product of the dimensions (1 for a scalar shape `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Checks that every dimension is a non-negative integer.
 * @throws InvalidArgumentError naming the shape.
 */
export function checkShape(shape: Shape, what: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new InvalidArgumentError(`${what}: shape ${formatShape(shape)} has a dimension that is not a non-negative integer`);
  }
}

/** Row-major strides in elements: the last dimension has stride 1. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The broadcast shape of two shapes.
 * @throws InvalidArgumentError naming both shapes when a dimension pair is neither equal nor 1.
 */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new InvalidArgumentError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dimension ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading an input of shape `input` as if it had the broadcast shape `out`: 0 along
 * stretched or missing dimensions.
 */
export function broadcastStrides(input: Shape, out: Shape): number[] {
  const own = stridesOf(input);
  const strides = new Array<number>(out.length).fill(0);
  for (let i = 0; i < input.length; i++) {
    const o = out.length - input.length + i;
    strides[o] = input[i] === 1 ? 0 : (own[i] as number);
  }
  return strides;
}

/**
 * An axis in [-rank, rank) as a non-negative index.
 * @throws InvalidArgumentError for an axis out of range, naming the shape.
 */
export function normalizeAxis(axis: number, shape: Shape, op: string): number {
  const rank = shape.length;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new InvalidArgumentError(`${op}: axis ${axis} is out of range for shape ${formatShape(shape)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Resolves one `-1` in a requested shape from the total size.
 * @throws InvalidArgumentError naming both shapes when the sizes differ.
 */
export function resolveShape(requested: Shape, size: number, from: Shape): number[] {
  const out = [...requested];
  const unknown = out.indexOf(-1);
  const known = sizeOf(out.filter((d) => d !== -1));
  if (unknown >= 0 && known > 0 && size % known === 0) out[unknown] = size / known;
  if (out.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(out) !== size) {
    throw new InvalidArgumentError(`reshape: cannot view shape ${formatShape(from)} (${size} values) as ${formatShape(requested)}`);
  }
  return out;
}

/** Shape as [outer, axisDim, inner] around an axis: the view every axis-wise op loops over. */
export function splitAtAxis(shape: Shape, axis: number): { outer: number; dim: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), dim: shape[axis] as number, inner: sizeOf(shape.slice(axis + 1)) };
}
