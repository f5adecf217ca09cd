/**
 * tensor/: a small, sparse-aware autograd library for ranking and sequence models. Tensors over
 * Float32Array, reverse-mode autograd on a tape, ops with documented shapes, optimizers with lazy
 * row-sparse updates, gradient checkpointing, packed sequences, fp8 matmul, and Modules.
 * See docs/tensor.md.
 */

export { MemoryAccountant, accumulateGrad, backward, enableGrad, isGradEnabled, noGrad, withAccountant } from './autograd.js';
export type { BackwardOptions } from './autograd.js';
export { RowSparseGrad, Tensor, full, rand, randn, scalar, tensor, zeros } from './tensor.js';
export type { GradNode, TensorOptions } from './tensor.js';
export { broadcastShapes, formatShape, sizeOf } from './shape.js';
export type { Shape } from './shape.js';

export { abs, add, div, exp, gelu, log, mul, neg, relu, sigmoid, silu, sqrt, square, sub, tanh, unary } from './elementwise.js';
export type { Operand, UnaryOp } from './elementwise.js';
export { logSoftmax, max, mean, softmax, sum } from './reduce.js';
export type { ReduceOptions } from './reduce.js';
export { concat, permute, reshape, slice, transpose } from './layout.js';
export { embedding, gatherRows, scatterAdd } from './gather.js';
export { matmul } from './matmul.js';
export type { MatmulOptions } from './matmul.js';
export { DEFAULT_NORM, layerNorm, rmsNorm } from './norm.js';
export { dropout } from './dropout.js';
export { packedAttention, scaledDotProductAttention } from './attention.js';
export type { AttentionOptions } from './attention.js';
export { bceWithLogits, sampledSoftmaxLoss, softmaxCrossEntropy } from './losses.js';
export type { SampledSoftmaxInput } from './losses.js';

export { activeGemmKernel, gemm, gemmReference, setGemmKernel } from './gemm.js';
export type { GemmKernelName, GemmShape } from './gemm.js';
export { gemmBlocked } from './gemm-blocked.js';
export { gemmWasm, wasmGemmAvailable } from './gemm-wasm.js';

export { Adam, AdamW, AdaGrad, Optimizer, Sgd, clipGradNorm } from './optimizers.js';
export type { AdaGradOptions, AdamOptions, NamedParameters, OptimizerState, SgdOptions } from './optimizers.js';
export { DEFAULT_MULTI_STEP, warmupCosine, warmupMultiStep } from './schedules.js';
export type { LrSchedule, WarmupOptions } from './schedules.js';

export { checkpoint } from './checkpoint.js';
export { cuSeqlensFromLengths, keyMaskFromCuSeqlens, packIds, packSequences, paddedPositions, unpackSequences } from './packing.js';
export { DEFAULT_FP8_MATMUL, fakeQuantizeBlocks, fakeQuantizeTiles, fp8Matmul, relativeError } from './fp8-matmul.js';
export type { Fp8MatmulOptions } from './fp8-matmul.js';
export { STATE_FORMAT_VERSION, decodeState, encodeState, readStateFile, restoreState, writeStateFile } from './serialize.js';
export type { SavedState } from './serialize.js';

export { Module } from './module.js';
export { DEFAULT_LAYER_INIT, Embedding, LayerNorm, Linear, MLP, RMSNorm } from './layers.js';
export { Attention, DEFAULT_TRANSFORMER_ARGS, TransformerBlock } from './transformer.js';
export type { SequenceLayout, TransformerArgs } from './transformer.js';
export { DEFAULT_GRAD_CHECK, checkGradients } from './gradcheck.js';
export type { GradCheckOptions, GradMismatch } from './gradcheck.js';
