/**
 * The Tensor: a row-major Float32Array with a shape, an optional gradient, and the tape node that
 * produced it (null for leaves: inputs and parameters). Ops are free functions in the op files; the
 * tape lives in autograd.ts.
 */

import { InvalidArgumentError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { checkShape, formatShape, sizeOf } from './shape.js';
import type { Shape } from './shape.js';

/** How a non-leaf tensor was computed: its inputs and the rule that sends its gradient to them. */
export interface GradNode {
  /** The op's name, for traces and errors. */
  readonly op: string;
  inputs: readonly Tensor[];
  /** Accumulates d(loss)/d(input) into the inputs from d(loss)/d(output) (same layout as the output). */
  backward: ((gradOutput: Float32Array) => void) | null;
  /** Bytes this node keeps alive for backward (its output plus extra saved buffers), for the accountant. */
  readonly savedBytes: number;
  /** Releases the bytes from the accountant that counted them; called once when backward is done. */
  release: () => void;
}

/**
 * A gradient that is zero except on some rows of a [rows, width] parameter (an embedding table): the
 * touched row ids in first-touch order and their gradient rows, [rowIds.length, width] row-major.
 */
export class RowSparseGrad {
  readonly width: number;
  private readonly slotOf = new Map<number, number>();
  private ids: number[] = [];
  private values: Float32Array;

  constructor(width: number) {
    this.width = width;
    this.values = new Float32Array(16 * width);
  }

  /** Number of touched rows. */
  get rowCount(): number {
    return this.ids.length;
  }

  /** The touched row ids, in first-touch order. */
  rowIds(): readonly number[] {
    return this.ids;
  }

  /** The gradient rows, [rowCount, width], aligned with rowIds(). */
  rows(): Float32Array {
    return this.values.subarray(0, this.ids.length * this.width);
  }

  /** Adds `src[srcOffset .. srcOffset + width)` to row `row`'s gradient. */
  addRow(row: number, src: Float32Array, srcOffset: number): void {
    let slot = this.slotOf.get(row);
    if (slot === undefined) {
      slot = this.ids.length;
      this.slotOf.set(row, slot);
      this.ids.push(row);
      if ((slot + 1) * this.width > this.values.length) {
        const grown = new Float32Array(this.values.length * 2);
        grown.set(this.values);
        this.values = grown;
      }
    }
    const w = this.width;
    const base = slot * w;
    for (let j = 0; j < w; j++) this.values[base + j] = (this.values[base + j] as number) + (src[srcOffset + j] as number);
  }

  /** Adds this gradient into a dense [rows, width] buffer. */
  addTo(dense: Float32Array): void {
    const w = this.width;
    this.ids.forEach((row, slot) => {
      for (let j = 0; j < w; j++) dense[row * w + j] = (dense[row * w + j] as number) + (this.values[slot * w + j] as number);
    });
  }
}

export interface TensorOptions {
  /** Track gradients for this leaf (a parameter or an input to differentiate). Default false. */
  requiresGrad?: boolean;
  /**
   * Embedding tables: gradients from `embedding` lookups arrive as a RowSparseGrad in `sparseGrad`
   * instead of a dense `grad`, and optimizers update only the touched rows. Default false.
   */
  sparse?: boolean;
}

export class Tensor {
  /** The values, row-major over `shape`. */
  readonly data: Float32Array;
  readonly shape: Shape;
  readonly size: number;
  requiresGrad: boolean;
  readonly sparse: boolean;
  /** d(loss)/d(this), same layout as data; null until a backward pass reaches it. */
  grad: Float32Array | null = null;
  /** Row-sparse gradient of a `sparse` table (embedding lookups only). */
  sparseGrad: RowSparseGrad | null = null;
  /** The tape node that produced this tensor; null for leaves. */
  node: GradNode | null = null;

  /**
   * @throws InvalidArgumentError when data.length differs from the shape's size.
   */
  constructor(data: Float32Array, shape: Shape, options: TensorOptions = {}) {
    checkShape(shape, 'Tensor');
    if (data.length !== sizeOf(shape)) {
      throw new InvalidArgumentError(`Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} values)`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.size = data.length;
    this.requiresGrad = options.requiresGrad ?? false;
    this.sparse = options.sparse ?? false;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. @throws InvalidArgumentError for more elements. */
  item(): number {
    if (this.size !== 1) throw new InvalidArgumentError(`item() needs a one-element tensor, shape is ${formatShape(this.shape)}`);
    return this.data[0] as number;
  }

  /** Clears the dense and sparse gradients. */
  zeroGrad(): void {
    this.grad = null;
    this.sparseGrad = null;
  }

  /** A leaf sharing this tensor's data, outside any tape. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  toString(): string {
    return `Tensor${formatShape(this.shape)}`;
  }
}

/** A tensor of zeros. */
export function zeros(shape: Shape, options?: TensorOptions): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)), shape, options);
}

/** A tensor filled with one value. */
export function full(shape: Shape, value: number, options?: TensorOptions): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape, options);
}

/** A tensor from values (copied); the shape defaults to `[values.length]`. */
export function tensor(values: ArrayLike<number>, shape: Shape = [values.length], options?: TensorOptions): Tensor {
  return new Tensor(Float32Array.from(values), shape, options);
}

/** A scalar tensor (shape `[]`). */
export function scalar(value: number): Tensor {
  return new Tensor(new Float32Array([value]), []);
}

/** Normal(0, std^2) values from `rng`: initialisation of weights. */
export function randn(shape: Shape, rng: Rng, options: TensorOptions & { std?: number } = {}): Tensor {
  const std = options.std ?? 1;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, std);
  return new Tensor(data, shape, options);
}

/** Uniform [low, high) values from `rng`. */
export function rand(shape: Shape, rng: Rng, options: TensorOptions & { low?: number; high?: number } = {}): Tensor {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(low, high);
  return new Tensor(data, shape, options);
}
