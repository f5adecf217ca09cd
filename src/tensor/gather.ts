/**
 * Row indexing: gather rows, scatter-add rows, and the embedding lookup whose gradient is row-sparse.
 *
 *   op                                  shapes                                            gradient
 *   gatherRows(x, ids, idsShape?)       x [N, ...r], ids [...s] → [...s, ...r]            scatter-add into x
 *   embedding(table, ids, idsShape?)    table [V, d], ids [...s] → [...s, d]              row-sparse when table.sparse
 *   scatterAdd(x, ids, src)             x [N, ...r], ids [M], src [M, ...r] → [N, ...r]   x: g; src: g's rows ids
 *
 * ids are Int32Array row numbers; a repeated id gathers the same row again and sums its gradients.
 */

import { InvalidArgumentError } from '../core/errors.js';
import { accumulateFreshGrad, gradOf, record } from './autograd.js';
import { formatShape, sizeOf } from './shape.js';
import type { Shape } from './shape.js';
import { RowSparseGrad, Tensor } from './tensor.js';

function checkIds(ids: Int32Array, rows: number, op: string, shape: Shape): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id < 0 || id >= rows) throw new InvalidArgumentError(`${op}: index ${id} (position ${i}) is out of range for shape ${formatShape(shape)} (${rows} rows)`);
  }
}

/**
 * Rows of x at `ids`. When x is `sparse` (an embedding table), the gradient is a RowSparseGrad with
 * one entry per distinct id instead of a dense [N, ...] buffer.
 * @throws InvalidArgumentError for an id out of range or an idsShape that does not fit ids.
 */
export function gatherRows(x: Tensor, ids: Int32Array, idsShape: Shape = [ids.length]): Tensor {
  if (x.rank < 1) throw new InvalidArgumentError(`gatherRows: x must have rows, shape is ${formatShape(x.shape)}`);
  if (sizeOf(idsShape) !== ids.length) throw new InvalidArgumentError(`gatherRows: ids shape ${formatShape(idsShape)} does not fit ${ids.length} ids`);
  const rows = x.shape[0] as number;
  checkIds(ids, rows, 'gatherRows', x.shape);
  const width = x.size / Math.max(1, rows);
  const out = new Float32Array(ids.length * width);
  for (let i = 0; i < ids.length; i++) {
    const from = (ids[i] as number) * width;
    out.set(x.data.subarray(from, from + width), i * width);
  }
  const shape = [...idsShape, ...x.shape.slice(1)];
  return record(new Tensor(out, shape), x.sparse ? 'embedding' : 'gatherRows', [x], (g) => {
    if (x.sparse) {
      // Embedding tables: only touched rows get a gradient (and, in the optimizers, an update).
      x.sparseGrad ??= new RowSparseGrad(width);
      for (let i = 0; i < ids.length; i++) x.sparseGrad.addRow(ids[i] as number, g, i * width);
      return;
    }
    const gx = gradOf(x);
    for (let i = 0; i < ids.length; i++) {
      const to = (ids[i] as number) * width;
      for (let j = 0; j < width; j++) gx[to + j] = (gx[to + j] as number) + (g[i * width + j] as number);
    }
  });
}

/**
 * Embedding lookup: rows of `table` [V, d] for `ids` → [...idsShape, d]. Create the table with
 * `{ sparse: true }` for row-sparse gradients (the optimizers then touch only those rows).
 * @throws InvalidArgumentError for an id outside [0, V).
 */
export function embedding(table: Tensor, ids: Int32Array, idsShape: Shape = [ids.length]): Tensor {
  if (table.rank !== 2) throw new InvalidArgumentError(`embedding: table must be [V, d], shape is ${formatShape(table.shape)}`);
  return gatherRows(table, ids, idsShape);
}

/**
 * x with src's rows added at rows `ids` (repeated ids add up).
 * @throws InvalidArgumentError naming both shapes when src's rows do not match x's, or an id is out of range.
 */
export function scatterAdd(x: Tensor, ids: Int32Array, src: Tensor): Tensor {
  const rows = x.shape[0] ?? 0;
  const width = x.size / Math.max(1, rows);
  const rowShapeMatches = src.rank === x.rank && src.shape.every((d, i) => (i === 0 ? d === ids.length : d === x.shape[i]));
  if (x.rank < 1 || !rowShapeMatches) {
    throw new InvalidArgumentError(`scatterAdd: src shape ${formatShape(src.shape)} does not match x shape ${formatShape(x.shape)} with ${ids.length} ids`);
  }
  checkIds(ids, rows, 'scatterAdd', x.shape);
  const out = x.data.slice();
  for (let i = 0; i < ids.length; i++) {
    const to = (ids[i] as number) * width;
    for (let j = 0; j < width; j++) out[to + j] = (out[to + j] as number) + (src.data[i * width + j] as number);
  }
  return record(new Tensor(out, x.shape), 'scatterAdd', [x, src], (g) => {
    if (x.requiresGrad) accumulateFreshGrad(x, g.slice());
    if (src.requiresGrad) {
      const gs = new Float32Array(src.size);
      for (let i = 0; i < ids.length; i++) gs.set(g.subarray((ids[i] as number) * width, (ids[i] as number + 1) * width), i * width);
      accumulateFreshGrad(src, gs);
    }
  });
}
