/**
 * Gradient checkpointing (Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost"): a
 * segment runs forward without recording, so only its inputs and output stay alive; its backward
 * rule runs the segment again with recording on and backpropagates through that fresh tape. Peak
 * activation memory drops from every intermediate of every segment to the segment boundaries plus
 * one segment's intermediates, for one extra forward pass.
 *
 * Dropout inside the segment draws the same seeds the second time (dropout.ts: recordSeeds /
 * replaySeeds), so the recomputed activations equal the first ones exactly.
 */

import { accumulateGrad, attachNode, backward, enableGrad, isGradEnabled, noGrad } from './autograd.js';
import { recordSeeds, replaySeeds } from './dropout.js';
import { Tensor } from './tensor.js';

/**
 * `fn(...inputs)`, keeping only the inputs and the output for backward and recomputing the rest.
 * `fn` must be a pure function of its inputs and the parameters it closes over (which receive their
 * gradients during the recomputation's backward).
 */
export function checkpoint(fn: (...inputs: Tensor[]) => Tensor, ...inputs: Tensor[]): Tensor {
  if (!isGradEnabled()) return fn(...inputs);
  const { result, seeds } = noGrad(() => recordSeeds(() => fn(...inputs)));
  const output = new Tensor(result.data, result.shape);
  return attachNode(output, 'checkpoint', inputs, (g) => {
    const detached = inputs.map((t) => new Tensor(t.data, t.shape, { requiresGrad: t.requiresGrad }));
    const recomputed = enableGrad(() => replaySeeds(seeds, () => fn(...detached)));
    backward(recomputed, { gradient: g });
    detached.forEach((d, i) => {
      if (d.grad !== null) accumulateGrad(inputs[i] as Tensor, d.grad);
    });
  });
}
