/**
 * The slice of the WebAssembly JavaScript API the kernels use, typed locally: the project's `lib`
 * (ES2023 + Node types) does not declare the WebAssembly classes, and a global declaration would leak
 * into every module.
 */

/**
 * A memory is never grown here: growing detaches its buffer, which switches off V8's typed-array fast
 * path for the whole process (docs/benchmarks.md); a larger memory replaces it instead.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

/** The runtime's WebAssembly object, or undefined where there is none. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
