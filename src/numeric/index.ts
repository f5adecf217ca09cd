/**
 * Number formats below float32: fp8 (E4M3, E5M2) with fine-grained block scaling.
 */

export type { Fp8Blocks, Fp8Format } from './fp8.js';
export { FP8_MAX, decodeFp8, dequantizeBlocks, encodeFp8, fp8DecodeTable, quantizeBlocks } from './fp8.js';
