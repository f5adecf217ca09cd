/**
 * Reverse-mode automatic differentiation on a tape. Every op that runs with gradients enabled and has
 * an input that requires a gradient attaches a GradNode to its output: the inputs and a backward rule.
 * `backward(loss)` orders the nodes reachable from the loss topologically (the tape, in the order the
 * ops ran) and replays it in reverse, each rule adding its inputs' gradients.
 *
 * Memory: a node keeps its output (and any extra buffers it saved) alive until its backward rule has
 * run; then the rule and its inputs are dropped so the buffers can be collected. The active
 * MemoryAccountant counts those bytes: `peakBytes` is the high-water mark of live activations.
 */

import { InvalidArgumentError } from '../core/errors.js';
import { formatShape } from './shape.js';
import type { GradNode, Tensor } from './tensor.js';

let gradEnabled = true;

/** Whether ops record onto the tape now. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` with recording off (inference, recomputation's first pass, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` with recording on, even inside noGrad (checkpoint's recomputation). */
export function enableGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Live and peak bytes of tensors kept for backward. */
export class MemoryAccountant {
  liveBytes = 0;
  peakBytes = 0;

  allocate(bytes: number): void {
    this.liveBytes += bytes;
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
  }

  release(bytes: number): void {
    this.liveBytes -= bytes;
  }

  reset(): void {
    this.liveBytes = 0;
    this.peakBytes = 0;
  }
}

let accountant: MemoryAccountant | null = null;

/** Runs `fn` with `counter` counting the activations recorded (and released) inside it. */
export function withAccountant<T>(counter: MemoryAccountant, fn: () => T): T {
  const previous = accountant;
  accountant = counter;
  try {
    return fn();
  } finally {
    accountant = previous;
  }
}

/** True when `output` should get a node: recording is on and some input needs a gradient. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  return gradEnabled && inputs.some((t) => t.requiresGrad);
}

/**
 * Attaches a tape node to `output` when recording applies. `extraSavedBytes` are buffers the rule
 * keeps beyond the output (attention probabilities, normalisation statistics).
 */
export function record(output: Tensor, op: string, inputs: readonly Tensor[], backward: (gradOutput: Float32Array) => void, extraSavedBytes = 0): Tensor {
  if (!needsGrad(inputs)) return output;
  return attachNode(output, op, inputs, backward, extraSavedBytes);
}

/**
 * Attaches a tape node whenever recording is on, even if no input requires a gradient: for
 * `checkpoint`, whose segment may hold parameters that are not among its inputs.
 */
export function attachNode(output: Tensor, op: string, inputs: readonly Tensor[], backward: (gradOutput: Float32Array) => void, extraSavedBytes = 0): Tensor {
  if (!gradEnabled) return output;
  const counter = accountant;
  const savedBytes = output.data.byteLength + extraSavedBytes;
  counter?.allocate(savedBytes);
  let released = false;
  const node: GradNode = {
    op,
    inputs,
    backward,
    savedBytes,
    release: () => {
      if (released) return;
      released = true;
      counter?.release(savedBytes);
      node.backward = null;
      node.inputs = [];
    },
  };
  output.requiresGrad = true;
  output.node = node;
  return output;
}

/** The gradient buffer of `t`, created as zeros on first use: rules accumulate into it. */
export function gradOf(t: Tensor): Float32Array {
  if (t.grad === null) t.grad = new Float32Array(t.size);
  return t.grad;
}

/** Adds `g` (same layout as t) into t's gradient, if t needs one. */
export function accumulateGrad(t: Tensor, g: Float32Array): void {
  if (!t.requiresGrad) return;
  if (t.grad === null) {
    t.grad = g.slice();
    return;
  }
  const dst = t.grad;
  for (let i = 0; i < dst.length; i++) dst[i] = (dst[i] as number) + (g[i] as number);
}

/** Adds `g` into t's gradient, taking ownership of `g` when t has none yet (g must be a fresh buffer). */
export function accumulateFreshGrad(t: Tensor, g: Float32Array): void {
  if (!t.requiresGrad) return;
  if (t.grad === null) {
    t.grad = g;
    return;
  }
  const dst = t.grad;
  for (let i = 0; i < dst.length; i++) dst[i] = (dst[i] as number) + (g[i] as number);
}

/** Tensors reachable from `root` through nodes, inputs before the tensors computed from them. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS (deep models would overflow the call stack): [tensor, next input index].
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as [Tensor, number];
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const input = inputs[i] as Tensor;
      if (!visited.has(input) && input.requiresGrad) {
        visited.add(input);
        stack.push([input, 0]);
      }
    } else {
      order.push(t);
      stack.pop();
    }
  }
  return order;
}

export interface BackwardOptions {
  /** d(objective)/d(root); defaults to 1 for a one-element root. */
  gradient?: Float32Array;
  /** Keep the tape for another backward pass (the nodes are otherwise freed). Default false. */
  retainGraph?: boolean;
}

/**
 * Computes gradients of `root` with respect to every leaf that requires one, adding them into each
 * leaf's `grad` (or `sparseGrad`). Gradients of intermediate tensors are freed as the pass goes.
 * @throws InvalidArgumentError when root has more than one element and no gradient is given, or
 *   the given gradient has the wrong length.
 */
export function backward(root: Tensor, options: BackwardOptions = {}): void {
  const seed = options.gradient ?? (root.size === 1 ? new Float32Array([1]) : undefined);
  if (seed === undefined) {
    throw new InvalidArgumentError(`backward: root has shape ${formatShape(root.shape)}; pass a gradient for a non-scalar root`);
  }
  if (seed.length !== root.size) {
    throw new InvalidArgumentError(`backward: gradient has ${seed.length} values, root shape ${formatShape(root.shape)} has ${root.size}`);
  }
  if (!root.requiresGrad) return;
  accumulateGrad(root, seed);
  const order = topologicalOrder(root);
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i] as Tensor;
    const node = t.node;
    if (node === null) continue;
    if (t.grad !== null && node.backward !== null) node.backward(t.grad);
    if (options.retainGraph !== true) {
      node.release();
      t.node = null;
      t.grad = null;
    }
  }
}
