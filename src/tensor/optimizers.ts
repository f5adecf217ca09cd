/**
 * Optimizers over named parameters. Each update rule is written once, over a slice of a parameter
 * (`updateSlice`): a dense gradient updates the whole tensor as one slice; a row-sparse gradient
 * (embedding tables) updates each touched row as its own slice, so untouched rows and their
 * optimizer state are left as they are ("lazy" updates, as TensorFlow's LazyAdam and PyTorch's
 * SparseAdam). A parameter with both kinds of gradient is updated densely with the sum.
 *
 *   SGD      v ← μv + g;  p ← p - lr·(g + μv if nesterov else v)                (Sutskever et al. 2013)
 *   AdaGrad  h ← h + g²;  p ← p - lr·g / (√h + ε)                               (Duchi et al. 2011)
 *   Adam     m ← β₁m + (1-β₁)g;  v ← β₂v + (1-β₂)g²;  p ← p - lr·m̂ / (√v̂ + ε)   (Kingma & Ba 2015, Alg. 1)
 *   AdamW    Adam with decoupled weight decay p ← p - lr·λ·p                    (Loshchilov & Hutter 2019, Alg. 2)
 * Weight decay applies to parameters of rank >= 2 (matrices and tables), not to biases and norm gains.
 */

import { IncompatibleFormatError, InvalidArgumentError } from '../core/errors.js';
import type { Tensor } from './tensor.js';

export type NamedParameters = readonly (readonly [string, Tensor])[];

/** An optimizer's state as plain data (see serialize.ts). */
export interface OptimizerState {
  kind: string;
  step: number;
  hyperparameters: Record<string, number>;
  /** Per parameter name, per slot name (`m`, `v`, `momentum`, `sumSquares`): a buffer shaped like the parameter. */
  slots: Record<string, Record<string, Float32Array>>;
}

export abstract class Optimizer {
  /** Learning rate of the next step (schedules set it each step). */
  lr: number;
  /** Steps taken so far. */
  stepCount = 0;
  readonly params: NamedParameters;
  protected readonly slots = new Map<string, Record<string, Float32Array>>();

  /** @throws InvalidArgumentError for duplicate parameter names. */
  constructor(params: NamedParameters | readonly Tensor[], lr: number) {
    this.params = params.map((p, i): readonly [string, Tensor] => (Array.isArray(p) ? (p as readonly [string, Tensor]) : [String(i), p as Tensor]));
    const names = new Set(this.params.map(([name]) => name));
    if (names.size !== this.params.length) throw new InvalidArgumentError('optimizer: parameter names must be unique');
    this.lr = lr;
  }

  abstract readonly kind: string;
  protected abstract readonly slotNames: readonly string[];
  abstract hyperparameters(): Record<string, number>;

  /**
   * Updates `length` values of the parameter starting at `offset`, from the gradient values at
   * grad[gradOffset ...]. `slots` are the parameter's state buffers (full size).
   */
  protected abstract updateSlice(view: { data: Float32Array; offset: number; length: number; decay: boolean }, grad: Float32Array, gradOffset: number, slots: Record<string, Float32Array>): void;

  private slotsOf(name: string, p: Tensor): Record<string, Float32Array> {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = Object.fromEntries(this.slotNames.map((slot) => [slot, new Float32Array(p.size)]));
      this.slots.set(name, s);
    }
    return s;
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    this.stepCount++;
    for (const [name, p] of this.params) {
      if (p.grad === null && p.sparseGrad === null) continue;
      const slots = this.slotsOf(name, p);
      const decay = p.rank >= 2;
      if (p.grad !== null) {
        const grad = p.sparseGrad === null ? p.grad : p.grad.slice();
        p.sparseGrad?.addTo(grad);
        this.updateSlice({ data: p.data, offset: 0, length: p.size, decay }, grad, 0, slots);
        continue;
      }
      const sparse = p.sparseGrad;
      if (sparse === null) continue;
      const rows = sparse.rows();
      sparse.rowIds().forEach((row, slot) => {
        this.updateSlice({ data: p.data, offset: row * sparse.width, length: sparse.width, decay }, rows, slot * sparse.width, slots);
      });
    }
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const [, p] of this.params) p.zeroGrad();
  }

  exportState(): OptimizerState {
    return { kind: this.kind, step: this.stepCount, hyperparameters: { lr: this.lr, ...this.hyperparameters() }, slots: Object.fromEntries(this.slots) };
  }

  /**
   * Restores state exported by the same kind of optimizer over parameters of the same names and sizes.
   * @throws IncompatibleFormatError naming what differs.
   */
  importState(state: OptimizerState): void {
    if (state.kind !== this.kind) throw new IncompatibleFormatError(`optimizer state is for ${state.kind}, this optimizer is ${this.kind}`);
    const byName = new Map(this.params);
    for (const [name, slots] of Object.entries(state.slots)) {
      const p = byName.get(name);
      if (p === undefined) throw new IncompatibleFormatError(`optimizer state has parameter '${name}', which this optimizer does not have`);
      for (const [slot, buffer] of Object.entries(slots)) {
        if (buffer.length !== p.size) throw new IncompatibleFormatError(`optimizer slot ${name}.${slot} has ${buffer.length} values, the parameter has ${p.size}`);
      }
      this.slots.set(name, slots);
    }
    this.stepCount = state.step;
    this.lr = state.hyperparameters.lr ?? this.lr;
  }
}

export interface SgdOptions {
  lr: number;
  /** Default 0 (plain SGD). */
  momentum?: number;
  /** Default false. */
  nesterov?: boolean;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay?: number;
}

export class Sgd extends Optimizer {
  readonly kind = 'sgd';
  protected readonly slotNames = ['momentum'];
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(params: NamedParameters | readonly Tensor[], options: SgdOptions) {
    super(params, options.lr);
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
  }

  hyperparameters(): Record<string, number> {
    return { momentum: this.momentum, nesterov: this.nesterov ? 1 : 0, weightDecay: this.weightDecay };
  }

  protected updateSlice(view: { data: Float32Array; offset: number; length: number; decay: boolean }, grad: Float32Array, gradOffset: number, slots: Record<string, Float32Array>): void {
    const v = slots.momentum as Float32Array;
    const { data, offset, length } = view;
    const wd = view.decay ? this.weightDecay : 0;
    const mu = this.momentum;
    for (let i = 0; i < length; i++) {
      const at = offset + i;
      const g = (grad[gradOffset + i] as number) + wd * (data[at] as number);
      const vel = mu * (v[at] as number) + g;
      v[at] = vel;
      data[at] = (data[at] as number) - this.lr * (this.nesterov ? g + mu * vel : vel);
    }
  }
}

export interface AdaGradOptions {
  lr: number;
  /** Default 1e-10 (PyTorch). */
  eps?: number;
  /** Starting value of the squared-gradient sums (added inside the root, the slot keeps the sum of g²). Default 0. */
  initialAccumulator?: number;
}

export class AdaGrad extends Optimizer {
  readonly kind = 'adagrad';
  protected readonly slotNames = ['sumSquares'];
  readonly eps: number;
  readonly initialAccumulator: number;

  constructor(params: NamedParameters | readonly Tensor[], options: AdaGradOptions) {
    super(params, options.lr);
    this.eps = options.eps ?? 1e-10;
    this.initialAccumulator = options.initialAccumulator ?? 0;
  }

  hyperparameters(): Record<string, number> {
    return { eps: this.eps, initialAccumulator: this.initialAccumulator };
  }

  protected updateSlice(view: { data: Float32Array; offset: number; length: number }, grad: Float32Array, gradOffset: number, slots: Record<string, Float32Array>): void {
    const h = slots.sumSquares as Float32Array;
    const { data, offset, length } = view;
    for (let i = 0; i < length; i++) {
      const at = offset + i;
      const g = grad[gradOffset + i] as number;
      const sum = (h[at] as number) + g * g;
      h[at] = sum;
      data[at] = (data[at] as number) - (this.lr * g) / (Math.sqrt(sum + this.initialAccumulator) + this.eps);
    }
  }
}

export interface AdamOptions {
  lr: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Default 0. In Adam it is an L2 term added to the gradient; in AdamW it is decoupled. */
  weightDecay?: number;
}

export class Adam extends Optimizer {
  readonly kind: string = 'adam';
  protected readonly slotNames = ['m', 'v'];
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  protected readonly decoupled: boolean = false;

  constructor(params: NamedParameters | readonly Tensor[], options: AdamOptions) {
    super(params, options.lr);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
  }

  hyperparameters(): Record<string, number> {
    return { beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay };
  }

  protected updateSlice(view: { data: Float32Array; offset: number; length: number; decay: boolean }, grad: Float32Array, gradOffset: number, slots: Record<string, Float32Array>): void {
    const m = slots.m as Float32Array;
    const v = slots.v as Float32Array;
    const { data, offset, length } = view;
    const { beta1, beta2, eps, lr } = this;
    const wd = view.decay ? this.weightDecay : 0;
    // Bias corrections use the global step, also for rows a sparse update touches for the first time.
    const c1 = 1 - beta1 ** this.stepCount;
    const c2 = 1 - beta2 ** this.stepCount;
    for (let i = 0; i < length; i++) {
      const at = offset + i;
      const p = data[at] as number;
      const g = (grad[gradOffset + i] as number) + (this.decoupled ? 0 : wd * p);
      const mi = beta1 * (m[at] as number) + (1 - beta1) * g;
      const vi = beta2 * (v[at] as number) + (1 - beta2) * g * g;
      m[at] = mi;
      v[at] = vi;
      data[at] = p - lr * (mi / c1 / (Math.sqrt(vi / c2) + eps) + (this.decoupled ? wd * p : 0));
    }
  }
}

/** Adam with decoupled weight decay (default 0.01). */
export class AdamW extends Adam {
  override readonly kind: string = 'adamw';
  protected override readonly decoupled: boolean = true;

  constructor(params: NamedParameters | readonly Tensor[], options: AdamOptions) {
    super(params, { weightDecay: 0.01, ...options });
  }
}

/**
 * Scales all gradients (dense and row-sparse) so their global L2 norm is at most `maxNorm`
 * (Pascanu et al. 2013). Returns the norm before clipping.
 * @throws InvalidArgumentError when maxNorm is not positive.
 */
export function clipGradNorm(params: NamedParameters | readonly Tensor[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new InvalidArgumentError(`clipGradNorm: maxNorm must be positive, got ${maxNorm}`);
  const tensors = params.map((p) => (Array.isArray(p) ? (p as readonly [string, Tensor])[1] : (p as Tensor)));
  const buffers = tensors.flatMap((t) => [t.grad, t.sparseGrad?.rows() ?? null]).filter((b): b is Float32Array => b !== null);
  let sq = 0;
  for (const b of buffers) for (let i = 0; i < b.length; i++) sq += (b[i] as number) ** 2;
  const norm = Math.sqrt(sq);
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-12);
    for (const b of buffers) for (let i = 0; i < b.length; i++) b[i] = (b[i] as number) * scale;
  }
  return norm;
}
