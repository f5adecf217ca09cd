/**
 * A pre-norm transformer block, read top-down like DeepSeek-V3's model.py (`ModelArgs` → `MLA` →
 * `Block`), with plain multi-head attention and the gated MLP:
 *
 *   x = x + dropout(attn(attnNorm(x)))
 *   x = x + dropout(ffn(ffnNorm(x)))
 *
 * The same weights run on two layouts of a batch of sequences:
 *   padded  x [B, T, dim] with an optional key mask [B, T] (1 = real token)
 *   packed  x [total, dim] with cuSeqlens (packing.ts): no padding token is computed anywhere
 * and give the same values on real tokens.
 */

import { InvalidArgumentError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { packedAttention, scaledDotProductAttention } from './attention.js';
import { dropout } from './dropout.js';
import { add } from './elementwise.js';
import { Linear, MLP, RMSNorm } from './layers.js';
import { permute, reshape } from './layout.js';
import { Module } from './module.js';
import { DEFAULT_NORM } from './norm.js';
import { formatShape } from './shape.js';
import type { Tensor } from './tensor.js';

export interface TransformerArgs {
  dim: number;
  nHeads: number;
  /** Hidden width of the MLP. */
  interDim: number;
  /** Residual dropout. Default 0. */
  dropout?: number;
  /** Future tokens hidden (a sequence model). Default true. */
  causal?: boolean;
  /** RMSNorm epsilon. Default 1e-6. */
  normEps?: number;
}

export const DEFAULT_TRANSFORMER_ARGS = { dropout: 0, causal: true, normEps: DEFAULT_NORM.rmsNormEps } as const;

export type SequenceLayout = { kind: 'padded'; keyMask?: Uint8Array } | { kind: 'packed'; cuSeqlens: Int32Array };

/** Multi-head self-attention: wq, wk, wv project, heads attend, wo mixes the heads back. */
export class Attention extends Module {
  readonly wq: Linear;
  readonly wk: Linear;
  readonly wv: Linear;
  readonly wo: Linear;
  readonly nHeads: number;
  readonly headDim: number;
  readonly causal: boolean;

  /** @throws InvalidArgumentError when dim is not a multiple of nHeads. */
  constructor(args: TransformerArgs, rng: Rng) {
    super();
    if (args.dim % args.nHeads !== 0) throw new InvalidArgumentError(`Attention: dim ${args.dim} is not a multiple of nHeads ${args.nHeads}`);
    this.nHeads = args.nHeads;
    this.headDim = args.dim / args.nHeads;
    this.causal = args.causal ?? DEFAULT_TRANSFORMER_ARGS.causal;
    this.wq = new Linear(args.dim, args.dim, { rng: rng.fork('wq'), bias: false });
    this.wk = new Linear(args.dim, args.dim, { rng: rng.fork('wk'), bias: false });
    this.wv = new Linear(args.dim, args.dim, { rng: rng.fork('wv'), bias: false });
    this.wo = new Linear(args.dim, args.dim, { rng: rng.fork('wo'), bias: false });
  }

  /**
   * x [B, T, dim] (padded) or [total, dim] (packed) → same shape.
   * @throws InvalidArgumentError naming the shape when it does not fit the layout.
   */
  forward(x: Tensor, layout: SequenceLayout): Tensor {
    const [h, dh] = [this.nHeads, this.headDim];
    const [q, k, v] = [this.wq.forward(x), this.wk.forward(x), this.wv.forward(x)];
    if (layout.kind === 'padded') {
      if (x.rank !== 3) throw new InvalidArgumentError(`Attention: padded input must be [B, T, dim], got ${formatShape(x.shape)}`);
      const [b, t, dim] = x.shape as [number, number, number];
      const heads = (y: Tensor): Tensor => permute(reshape(y, [b, t, h, dh]), [0, 2, 1, 3]); // (B, H, T, dh)
      const o = scaledDotProductAttention(heads(q), heads(k), heads(v), { causal: this.causal, keyMask: layout.keyMask });
      return this.wo.forward(reshape(permute(o, [0, 2, 1, 3]), [b, t, dim]));
    }
    if (x.rank !== 2) throw new InvalidArgumentError(`Attention: packed input must be [total, dim], got ${formatShape(x.shape)}`);
    const [total, dim] = x.shape as [number, number];
    const heads = (y: Tensor): Tensor => permute(reshape(y, [total, h, dh]), [1, 0, 2]); // (H, total, dh)
    const o = packedAttention(heads(q), heads(k), heads(v), layout.cuSeqlens, { causal: this.causal });
    return this.wo.forward(reshape(permute(o, [1, 0, 2]), [total, dim]));
  }
}

export class TransformerBlock extends Module {
  readonly attnNorm: RMSNorm;
  readonly attn: Attention;
  readonly ffnNorm: RMSNorm;
  readonly ffn: MLP;
  readonly dropoutRate: number;
  private readonly rng: Rng;

  constructor(args: TransformerArgs, rng: Rng) {
    super();
    const eps = args.normEps ?? DEFAULT_TRANSFORMER_ARGS.normEps;
    this.attnNorm = new RMSNorm(args.dim, eps);
    this.attn = new Attention(args, rng.fork('attn'));
    this.ffnNorm = new RMSNorm(args.dim, eps);
    this.ffn = new MLP(args.dim, args.interDim, { rng: rng.fork('ffn') });
    this.dropoutRate = args.dropout ?? DEFAULT_TRANSFORMER_ARGS.dropout;
    this.rng = rng.fork('dropout');
  }

  private drop(x: Tensor): Tensor {
    return this.training && this.dropoutRate > 0 ? dropout(x, this.dropoutRate, this.rng) : x;
  }

  forward(x: Tensor, layout: SequenceLayout): Tensor {
    const h = add(x, this.drop(this.attn.forward(this.attnNorm.forward(x), layout)));
    return add(h, this.drop(this.ffn.forward(this.ffnNorm.forward(h))));
  }
}
