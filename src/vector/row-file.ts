import { closeSync, readSync } from 'node:fs';
import { FailedPreconditionError, IncompatibleFormatError } from '../core/index.js';

/**
 * The float32 rows of an index read from its snapshot file instead of memory (DiskANN keeps its full
 * vectors on disk the same way): row `slot` is `4 * dim` bytes at `offset + slot * 4 * dim`, read with
 * one positional read (`pread`) into a scratch row, so nothing is allocated per read. The file stays
 * open until `close()`; since `save` replaces a file by renaming a new one over it, an open file keeps
 * its contents even when the path is overwritten, and the rows read always match the graph loaded.
 */
export class RowFile {
  readonly path: string;
  private fd: number | undefined;
  private readonly offset: number;
  private readonly dim: number;
  /** The row of the last `read` (overwritten by the next). */
  private readonly row: Float32Array;
  private readonly rowBytes: Uint8Array;

  /** Takes ownership of `fd` (closed by `close`). */
  constructor(fd: number, path: string, offset: number, dim: number) {
    this.fd = fd;
    this.path = path;
    this.offset = offset;
    this.dim = dim;
    this.row = new Float32Array(dim);
    this.rowBytes = new Uint8Array(this.row.buffer);
  }

  get closed(): boolean {
    return this.fd === undefined;
  }

  /**
   * The stored row of `slot`, valid until the next read.
   * @throws FailedPreconditionError once closed; IncompatibleFormatError when the file is shorter than the row.
   */
  read(slot: number): Float32Array {
    const fd = this.fd;
    if (fd === undefined) throw new FailedPreconditionError(`the index reading its vectors from ${this.path} was closed`);
    const length = this.rowBytes.length;
    const read = readSync(fd, this.rowBytes, 0, length, this.offset + slot * length);
    if (read !== length) throw new IncompatibleFormatError(`${this.path} ends inside the row of slot ${slot} (read ${read} of ${length} bytes)`);
    return this.row;
  }

  /** Rows `0 .. count - 1` in one array (for writing a snapshot of a file-backed index). */
  readAll(count: number): Float32Array {
    const out = new Float32Array(count * this.dim);
    for (let slot = 0; slot < count; slot++) out.set(this.read(slot), slot * this.dim);
    return out;
  }

  /** Closes the file; later reads fail. Idempotent. */
  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
