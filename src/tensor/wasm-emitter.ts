/**
 * A tiny WebAssembly binary emitter: just the opcodes the SIMD matmul kernel needs (WebAssembly Core
 * Specification 2.0, §5 binary format; SIMD opcodes from the fixed-width SIMD proposal, now in the
 * core spec). No wasm compiler is installed here, so the kernel is assembled from TypeScript; every
 * instruction method below is one line that names its opcode.
 *
 * A module has one imported memory (`env.memory`) and any number of exported functions.
 */

export type ValueType = 'i32' | 'f32' | 'v128';

const VALUE_TYPE_CODE: Record<ValueType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

/** Unsigned LEB128 (§5.2.2). */
export function encodeU32(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (§5.2.2) for 32-bit integers. */
export function encodeI32(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function encodeName(name: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(name));
  return [...encodeU32(bytes.length), ...bytes];
}

function encodeVector(items: number[][]): number[] {
  return [...encodeU32(items.length), ...items.flat()];
}

/** log2 of the natural alignment, as the memarg's alignment hint. */
const ALIGN = { f32: 2, v128: 4 } as const;

/**
 * One function's signature, locals and instructions. Parameters are locals 0..params.length-1;
 * `local(type)` declares more and returns their index. Instruction methods return `this` to chain.
 */
export class FunctionBody {
  private readonly code: number[] = [];
  private readonly localTypes: ValueType[] = [];

  constructor(
    readonly params: readonly ValueType[],
    readonly results: readonly ValueType[] = [],
  ) {}

  local(type: ValueType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  private op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  private simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...encodeU32(opcode), ...immediates);
  }

  private memarg(align: number, offset: number): number[] {
    return [...encodeU32(align), ...encodeU32(offset)];
  }

  // Control (§5.4.1). Branch depths count enclosing blocks outwards from 0.
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { return this.op(0x0c, ...encodeU32(depth)); }
  brIf(depth: number): this { return this.op(0x0d, ...encodeU32(depth)); }

  // Variables (§5.4.4).
  localGet(index: number): this { return this.op(0x20, ...encodeU32(index)); }
  localSet(index: number): this { return this.op(0x21, ...encodeU32(index)); }
  localTee(index: number): this { return this.op(0x22, ...encodeU32(index)); }

  // i32 numerics (§5.4.7).
  i32Const(value: number): this { return this.op(0x41, ...encodeI32(value)); }
  i32Eqz(): this { return this.op(0x45); }
  i32GeU(): this { return this.op(0x4f); }
  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }

  // Memory (§5.4.6): f32 scalars.
  f32Load(offset = 0): this { return this.op(0x2a, ...this.memarg(ALIGN.f32, offset)); }
  f32Store(offset = 0): this { return this.op(0x38, ...this.memarg(ALIGN.f32, offset)); }
  f32Add(): this { return this.op(0x92); }
  f32Mul(): this { return this.op(0x94); }

  // SIMD (§5.4.8): 128-bit vectors of four f32 lanes.
  v128Load(offset = 0): this { return this.simd(0x00, ...this.memarg(ALIGN.v128, offset)); }
  v128Load32Splat(offset = 0): this { return this.simd(0x09, ...this.memarg(ALIGN.f32, offset)); }
  v128Store(offset = 0): this { return this.simd(0x0b, ...this.memarg(ALIGN.v128, offset)); }
  v128Zero(): this { return this.simd(0x0c, ...new Array<number>(16).fill(0)); }
  /** Picks 16 bytes from the concatenation of two vectors; `lanes` are byte indices 0..31. */
  i8x16Shuffle(lanes: readonly number[]): this { return this.simd(0x0d, ...lanes); }
  /** i8x16.shuffle expressed in f32 lanes: `lanes` are lane indices 0..7 of the two vectors. */
  f32x4Shuffle(lanes: readonly [number, number, number, number]): this {
    return this.i8x16Shuffle(lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
  }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Mul(): this { return this.simd(0xe6); }

  /** The function's entry in the code section (§5.5.13): locals run-length encoded, then the body. */
  encode(): number[] {
    const groups: number[][] = [];
    for (const type of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last !== undefined && last[1] === VALUE_TYPE_CODE[type]) last[0] = (last[0] as number) + 1;
      else groups.push([1, VALUE_TYPE_CODE[type]]);
    }
    const locals = encodeVector(groups.map(([count, code]) => [...encodeU32(count as number), code as number]));
    const body = [...locals, ...this.code, 0x0b];
    return [...encodeU32(body.length), ...body];
  }

  encodeType(): number[] {
    const codes = (types: readonly ValueType[]): number[] => encodeVector(types.map((t) => [VALUE_TYPE_CODE[t]]));
    return [0x60, ...codes(this.params), ...codes(this.results)];
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...encodeU32(content.length), ...content];
}

/**
 * A module importing `env.memory` (at least `minPages` pages of 64 KiB) and exporting `functions`
 * by name, one type per function.
 */
export function encodeModule(options: { minPages: number; functions: Record<string, FunctionBody> }): Uint8Array {
  const entries = Object.entries(options.functions);
  const memoryImport = [...encodeName('env'), ...encodeName('memory'), 0x02, 0x00, ...encodeU32(options.minPages)];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, encodeVector(entries.map(([, f]) => f.encodeType()))),
    ...section(2, encodeVector([memoryImport])),
    ...section(3, encodeVector(entries.map((_, i) => encodeU32(i)))),
    ...section(7, encodeVector(entries.map(([name], i) => [...encodeName(name), 0x00, ...encodeU32(i)]))),
    ...section(10, encodeVector(entries.map(([, f]) => f.encode()))),
  ];
  return new Uint8Array(bytes);
}
