import { describe, expect, it } from 'vitest';
import { FunctionBody, encodeI32, encodeModule, encodeU32 } from './wasm-emitter.js';
import { wasmGemmAvailable } from './gemm-wasm.js';
import { gemmKernelBytes } from './wasm-gemm-kernel.js';
import { wasmApi } from './wasm-runtime.js';
import type { WasmMemory } from './wasm-runtime.js';

describe('LEB128', () => {
  it('encodes the spec examples (unsigned 624485, signed -123456) and the boundaries', () => {
    expect(encodeU32(0)).toEqual([0x00]);
    expect(encodeU32(127)).toEqual([0x7f]);
    expect(encodeU32(128)).toEqual([0x80, 0x01]);
    expect(encodeU32(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(encodeI32(-1)).toEqual([0x7f]);
    expect(encodeI32(63)).toEqual([0x3f]);
    expect(encodeI32(64)).toEqual([0xc0, 0x00]);
    expect(encodeI32(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});

function instantiate(functions: Record<string, FunctionBody>): { memory: WasmMemory; exports: Record<string, unknown> } {
  if (wasmApi === undefined) throw new Error('this runtime has no WebAssembly');
  const memory = new wasmApi.Memory({ initial: 1 });
  const instance = new wasmApi.Instance(new wasmApi.Module(encodeModule({ minPages: 1, functions })), { env: { memory } });
  return { memory, exports: instance.exports };
}

describe('encodeModule', () => {
  it('assembles a module V8 accepts, whose loop sums 1..n', () => {
    // sum(n): acc = 0; do { acc += n; n -= 1 } while (n != 0)
    const f = new FunctionBody(['i32'], ['i32']);
    const acc = f.local('i32');
    f.loop();
    f.localGet(acc).localGet(0).i32Add().localSet(acc);
    f.localGet(0).i32Const(1).i32Sub().localTee(0).brIf(0);
    f.end().localGet(acc);
    const { exports } = instantiate({ sum: f });
    expect((exports.sum as (n: number) => number)(10)).toBe(55);
  });

  it('runs the SIMD instructions lane-wise: (x * y) + z on four f32 lanes', () => {
    const f = new FunctionBody(['i32']);
    f.localGet(0);
    f.localGet(0).v128Load(16).localGet(0).v128Load32Splat(32).f32x4Mul();
    f.localGet(0).v128Load(0).f32x4Add();
    f.v128Store(48);
    const { memory, exports } = instantiate({ fma: f });
    const view = new Float32Array(memory.buffer);
    view.set([1, 2, 3, 4, 5, 6, 7, 8, 10]);
    (exports.fma as (p: number) => void)(0);
    expect(Array.from(view.subarray(12, 16))).toEqual([51, 62, 73, 84]);
  });

  it('produces a valid gemm kernel module, which this runtime compiles (Node has had wasm SIMD since 16.4)', () => {
    // Without this, a broken module would silently fall back to the TypeScript kernel and the wasm tests would skip.
    expect(wasmApi?.validate(gemmKernelBytes())).toBe(true);
    expect(wasmGemmAvailable()).toBe(true);
  });
});
