/**
 * Matrix multiply on tensors, batched.
 *
 *   matmul(a, b)   a [..., m, k], b [k, n] (shared) or [..., k, n] (same batch) → [..., m, n]
 *   options        transA: a is [..., k, m]; transB: b is [..., n, k] (or [n, k])
 *
 * With a shared 2-D b and no transA, the batch folds into m: one gemm of (batch·m) rows, which is
 * how a Linear layer runs on [B, T, d]. Gradients (for C = op(A)·op(B)):
 *   d op(A) = g · op(B)ᵀ        d op(B) = op(A)ᵀ · g
 * each computed by gemm straight into the input's gradient buffer (accumulate), without transposing
 * anything in memory.
 */

import { InvalidArgumentError } from '../core/errors.js';
import { gradOf, record } from './autograd.js';
import { gemm } from './gemm.js';
import { formatShape, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

export interface MatmulOptions {
  /** a is stored with its last two axes swapped ([..., k, m]). Default false. */
  transA?: boolean;
  /** b is stored with its last two axes swapped ([..., n, k]). Default false. */
  transB?: boolean;
}

interface Plan {
  batch: number;
  m: number;
  n: number;
  k: number;
  /** b is one matrix shared by every batch entry. */
  sharedB: boolean;
  outShape: number[];
}

function plan(a: Tensor, b: Tensor, options: MatmulOptions): Plan {
  const mismatch = (why: string): InvalidArgumentError =>
    new InvalidArgumentError(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not multiply (${why})`);
  if (a.rank < 2 || b.rank < 2) throw mismatch('both need at least 2 dimensions');
  const transA = options.transA === true;
  const transB = options.transB === true;
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) throw mismatch(`inner dimensions ${k} and ${kb}`);
  const batchShape = a.shape.slice(0, -2);
  const sharedB = b.rank === 2;
  if (!sharedB && (b.rank !== a.rank || b.shape.slice(0, -2).some((d, i) => d !== batchShape[i]))) {
    throw mismatch('batch dimensions differ; b must be 2-D or have the same batch dimensions');
  }
  return { batch: sizeOf(batchShape), m, n, k, sharedB, outShape: [...batchShape, m, n] };
}

/**
 * op(a) · op(b), batched; see the file comment for shapes.
 * @throws InvalidArgumentError naming both shapes when they do not multiply.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const p = plan(a, b, options);
  const transA = options.transA === true;
  const transB = options.transB === true;
  const { batch, m, n, k } = p;
  const out = new Float32Array(batch * m * n);
  // Shared b without transA: fold the batch into the rows of one product.
  const folded = p.sharedB && !transA;
  const steps = folded ? 1 : batch;
  const rows = folded ? batch * m : m;
  const aStride = m * k;
  const bStride = p.sharedB ? 0 : k * n;
  const cStride = rows * n;
  for (let s = 0; s < steps; s++) {
    gemm(a.data.subarray(s * aStride), b.data.subarray(s * bStride), out.subarray(s * cStride), { m: rows, n, k, transA, transB });
  }
  return record(new Tensor(out, p.outShape), 'matmul', [a, b], (g) => {
    const ga = a.requiresGrad ? gradOf(a) : null;
    const gb = b.requiresGrad ? gradOf(b) : null;
    for (let s = 0; s < steps; s++) {
      const gs = g.subarray(s * cStride);
      const as = a.data.subarray(s * aStride);
      const bs = b.data.subarray(s * bStride);
      if (ga !== null) {
        const dst = ga.subarray(s * aStride);
        // d op(A) = g · op(B)ᵀ; stored transposed when transA.
        if (!transA) gemm(gs, bs, dst, { m: rows, n: k, k: n, transB: !transB, accumulate: true });
        else gemm(bs, gs, dst, { m: k, n: m, k: n, transA: transB, transB: true, accumulate: true });
      }
      if (gb !== null) {
        const dst = gb.subarray(s * bStride);
        // d op(B) = op(A)ᵀ · g; stored transposed when transB.
        if (!transB) gemm(as, gs, dst, { m: k, n, k: rows, transA: !transA, accumulate: true });
        else gemm(gs, as, dst, { m: n, n: k, k: rows, transA: true, transB: transA, accumulate: true });
      }
    }
  });
}
