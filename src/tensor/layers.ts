/**
 * Basic layers, each a Module with a `forward`.
 *
 *   Linear(in, out)        x [..., in] → [..., out];   weight [in, out], bias [out]
 *   Embedding(n, d)        ids [...s] → [...s, d];     weight [n, d], sparse (row-sparse gradients)
 *   RMSNorm(d), LayerNorm(d)  x [..., d] → [..., d]
 *   MLP(d, inter)          DeepSeek-V3's gated feed-forward: w2(silu(w1(x)) ⊙ w3(x)) (Shazeer 2020, SwiGLU)
 *
 * Linear stores its weight as [in, out] (DeepSeek and PyTorch store [out, in] and multiply by the
 * transpose), so the forward product needs no transposed operand.
 */

import type { Rng } from '../core/rng.js';
import { add, mul, silu } from './elementwise.js';
import { embedding } from './gather.js';
import { matmul } from './matmul.js';
import { Module } from './module.js';
import { DEFAULT_NORM, layerNorm, rmsNorm } from './norm.js';
import type { Shape } from './shape.js';
import { full, rand, randn, zeros } from './tensor.js';
import type { Tensor } from './tensor.js';

export const DEFAULT_LAYER_INIT = {
  /** Embedding rows start as N(0, std²) (GPT-2's 0.02). */
  embeddingStd: 0.02,
} as const;

export class Linear extends Module {
  /** [inFeatures, outFeatures] */
  readonly weight: Tensor;
  /** [outFeatures], or null without bias. */
  readonly bias: Tensor | null;

  /**
   * Weights start uniform in ±1/√in (PyTorch's default for nn.Linear), bias at zero.
   * @param options.bias default true
   */
  constructor(inFeatures: number, outFeatures: number, options: { rng: Rng; bias?: boolean }) {
    super();
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = rand([inFeatures, outFeatures], options.rng, { low: -bound, high: bound, requiresGrad: true });
    this.bias = options.bias === false ? null : zeros([outFeatures], { requiresGrad: true });
  }

  forward(x: Tensor): Tensor {
    const y = matmul(x, this.weight);
    return this.bias === null ? y : add(y, this.bias);
  }
}

export class Embedding extends Module {
  /** [numEmbeddings, dim], sparse: only looked-up rows get gradients and updates. */
  readonly weight: Tensor;

  constructor(numEmbeddings: number, dim: number, options: { rng: Rng; std?: number }) {
    super();
    this.weight = randn([numEmbeddings, dim], options.rng, { std: options.std ?? DEFAULT_LAYER_INIT.embeddingStd, requiresGrad: true, sparse: true });
  }

  forward(ids: Int32Array, idsShape?: Shape): Tensor {
    return embedding(this.weight, ids, idsShape);
  }
}

export class RMSNorm extends Module {
  /** [dim], starts at 1. */
  readonly weight: Tensor;

  constructor(dim: number, readonly eps: number = DEFAULT_NORM.rmsNormEps) {
    super();
    this.weight = full([dim], 1, { requiresGrad: true });
  }

  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.weight, this.eps);
  }
}

export class LayerNorm extends Module {
  /** [dim], starts at 1. */
  readonly weight: Tensor;
  /** [dim], starts at 0. */
  readonly bias: Tensor;

  constructor(dim: number, readonly eps: number = DEFAULT_NORM.layerNormEps) {
    super();
    this.weight = full([dim], 1, { requiresGrad: true });
    this.bias = zeros([dim], { requiresGrad: true });
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}

/** DeepSeek-V3's MLP: the gated SiLU feed-forward (model.py `MLP`), without biases. */
export class MLP extends Module {
  /** dim → inter, gated by silu */
  readonly w1: Linear;
  /** inter → dim */
  readonly w2: Linear;
  /** dim → inter, the gate's partner */
  readonly w3: Linear;

  constructor(dim: number, interDim: number, options: { rng: Rng }) {
    super();
    this.w1 = new Linear(dim, interDim, { rng: options.rng.fork('w1'), bias: false });
    this.w2 = new Linear(interDim, dim, { rng: options.rng.fork('w2'), bias: false });
    this.w3 = new Linear(dim, interDim, { rng: options.rng.fork('w3'), bias: false });
  }

  forward(x: Tensor): Tensor {
    return this.w2.forward(mul(silu(this.w1.forward(x)), this.w3.forward(x)));
  }
}
