import { IncompatibleFormatError } from '../core/index.js';

type Typed = Uint8Array | Int32Array | Uint32Array | Float64Array;

/**
 * Writes snapshot sections: u32 values, raw bytes, and typed arrays as u32 byte length + their bytes
 * (in the machine's byte order, little-endian on every platform Node runs on).
 */
export class ByteSink {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  u32(value: number): void {
    const chunk = new Uint8Array(4);
    new DataView(chunk.buffer).setUint32(0, value, true);
    this.bytes(chunk);
  }

  bytes(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  typed(array: Typed): void {
    this.u32(array.byteLength);
    this.bytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength).slice());
  }

  /** Strings as a u32 array of UTF-8 byte lengths, then the bytes. */
  strings(values: readonly string[]): void {
    const encoder = new TextEncoder();
    const encoded = values.map((v) => encoder.encode(v));
    this.typed(Uint32Array.from(encoded, (e) => e.length));
    const all = new Uint8Array(encoded.reduce((sum, e) => sum + e.length, 0));
    let p = 0;
    for (const e of encoded) {
      all.set(e, p);
      p += e.length;
    }
    this.typed(all);
  }

  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let p = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, p);
      p += chunk.length;
    }
    return out;
  }
}

/** Reads what {@link ByteSink} wrote; every length is checked against the bytes left. */
export class ByteReader {
  private p = 0;

  constructor(private readonly data: Uint8Array) {}

  get done(): boolean {
    return this.p === this.data.length;
  }

  get remaining(): number {
    return this.data.length - this.p;
  }

  u32(): number {
    const value = new DataView(this.data.buffer, this.data.byteOffset + this.take(4), 4).getUint32(0, true);
    return value;
  }

  bytes(n: number): Uint8Array {
    const start = this.take(n);
    return this.data.subarray(start, start + n);
  }

  uint8(expected: number, capacity = expected): Uint8Array {
    return this.section(Uint8Array, expected, capacity, 0);
  }

  int32(expected: number, capacity = expected, fill = 0): Int32Array {
    return this.section(Int32Array, expected, capacity, fill);
  }

  uint32(expected: number, capacity = expected): Uint32Array {
    return this.section(Uint32Array, expected, capacity, 0);
  }

  float64(expected: number, capacity = expected): Float64Array {
    return this.section(Float64Array, expected, capacity, Number.NaN);
  }

  strings(): string[] {
    const count = this.u32() / 4;
    const lengths = new Uint32Array(count);
    new Uint8Array(lengths.buffer).set(this.bytes(count * 4));
    const total = lengths.reduce((sum, n) => sum + n, 0);
    const bytes = this.uint8(total);
    const decoder = new TextDecoder();
    const out: string[] = [];
    let p = 0;
    for (const n of lengths) {
      out.push(decoder.decode(bytes.subarray(p, p + n)));
      p += n;
    }
    return out;
  }

  /** A section of `expected` elements copied into a fresh array of `capacity` (rest filled with `fill`). */
  private section<T extends Typed>(
    Kind: { new (n: number): T; BYTES_PER_ELEMENT: number },
    expected: number,
    capacity: number,
    fill: number,
  ): T {
    const byteLength = this.u32();
    if (byteLength !== expected * Kind.BYTES_PER_ELEMENT) {
      throw new IncompatibleFormatError(`index snapshot section has ${byteLength} bytes, expected ${expected * Kind.BYTES_PER_ELEMENT}`);
    }
    const out = new Kind(Math.max(capacity, expected));
    if (capacity > expected) out.fill(fill, expected);
    new Uint8Array(out.buffer).set(this.bytes(byteLength));
    return out;
  }

  private take(n: number): number {
    if (this.p + n > this.data.length) throw new IncompatibleFormatError(`index snapshot ends early: ${n} bytes needed at offset ${this.p}, ${this.remaining} left`);
    const start = this.p;
    this.p += n;
    return start;
  }
}
