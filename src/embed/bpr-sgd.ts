import type { BprTables } from './bpr-model.js';

/** The hyper-parameters of one BPR SGD step. */
export interface BprStepParams {
  /** alpha: the step size. */
  learningRate: number;
  /** lambda_Theta for the user and item vectors. */
  regularization: number;
  /** lambda for the item biases. */
  biasRegularization: number;
}

/**
 * -ln sigma(x) = softplus(-x), computed without overflow: for large |x| one of the two forms
 * underflows gracefully instead of taking log(0) or exp(inf).
 */
export function negLogSigmoid(x: number): number {
  return x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
}

/**
 * The BPR objective of one triple (u, i, j), the quantity each SGD step descends (Rendle et al. 2009,
 * eq. 4 per sample, with the L2 term written as lambda/2 ||theta||^2 so its gradient is lambda theta):
 *
 *   L = weight * -ln sigma(x_uij) + lambda/2 (|w_u|^2 + |h_i|^2 + |h_j|^2) + lambda_b/2 (b_i^2 + b_j^2)
 *   x_uij = <w_u, h_i - h_j> + b_i - b_j
 *
 * The simple reference the step is tested against (finite differences).
 */
export function bprTripleLoss(tables: BprTables, triple: { u: number; i: number; j: number; weight: number }, params: BprStepParams): number {
  const { dim, userFactors: W, itemFactors: H, itemBias: B } = tables;
  const { u, i, j, weight } = triple;
  let x = (B[i] as number) - (B[j] as number);
  let norms = 0;
  for (let f = 0; f < dim; f++) {
    const w = W[u * dim + f] as number;
    const hi = H[i * dim + f] as number;
    const hj = H[j * dim + f] as number;
    x += w * (hi - hj);
    norms += w * w + hi * hi + hj * hj;
  }
  const biases = (B[i] as number) ** 2 + (B[j] as number) ** 2;
  return weight * negLogSigmoid(x) + (params.regularization / 2) * norms + (params.biasRegularization / 2) * biases;
}

/**
 * Sparse SGD on the BPR objective: each step touches only w_u, h_i, h_j, b_i and b_j (LearnBPR,
 * Rendle et al. 2009, fig. 4). Holds one scratch vector, so a step allocates nothing.
 */
export class BprSgd {
  readonly params: BprStepParams;
  private readonly tables: BprTables;
  /** [dim] the user vector before the step: every gradient is taken at the old parameters. */
  private readonly oldUser: Float32Array;

  constructor(tables: BprTables, params: BprStepParams) {
    this.tables = tables;
    this.params = { ...params };
    this.oldUser = new Float32Array(tables.dim);
  }

  /**
   * One step on the triple (u, i, j): user u prefers positive item i over negative item j, the step's
   * gradient scaled by `weight`. Returns the triple's loss term weight * -ln sigma(x_uij) before the step.
   *
   *   g = sigma(-x_uij) = -d(-ln sigma(x))/dx
   *   w_u += alpha (weight g (h_i - h_j) - lambda w_u)
   *   h_i += alpha (weight g w_u - lambda h_i)
   *   h_j += alpha (-weight g w_u - lambda h_j)
   *   b_i += alpha (weight g - lambda_b b_i),   b_j += alpha (-weight g - lambda_b b_j)
   */
  step(u: number, i: number, j: number, weight: number): number {
    const { dim, userFactors: W, itemFactors: H, itemBias: B } = this.tables;
    const { learningRate: lr, regularization: reg, biasRegularization: biasReg } = this.params;
    const old = this.oldUser;
    const uo = u * dim;
    const io = i * dim;
    const jo = j * dim;
    let x = (B[i] as number) - (B[j] as number);
    for (let f = 0; f < dim; f++) {
      const w = W[uo + f] as number;
      old[f] = w;
      x += w * ((H[io + f] as number) - (H[jo + f] as number));
    }
    const g = weight / (1 + Math.exp(x));
    for (let f = 0; f < dim; f++) {
      const w = old[f] as number;
      const hi = H[io + f] as number;
      const hj = H[jo + f] as number;
      W[uo + f] = w + lr * (g * (hi - hj) - reg * w);
      H[io + f] = hi + lr * (g * w - reg * hi);
      H[jo + f] = hj + lr * (-g * w - reg * hj);
    }
    const bi = B[i] as number;
    const bj = B[j] as number;
    B[i] = bi + lr * (g - biasReg * bi);
    B[j] = bj + lr * (-g - biasReg * bj);
    return weight * negLogSigmoid(x);
  }
}
