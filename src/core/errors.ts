/**
 * The QuarryError family: every error Quarry throws on purpose carries a `code` that faces map to a
 * status (HTTP in `server/`, exit codes in `cli/`). Messages name the thing and the values.
 */

export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'INCOMPATIBLE_FORMAT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'CANCELLED'
  | 'INTERNAL';

/** One problem with one input field: `path` is where it is (`["items", 3, "price"]`). */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

export interface QuarryErrorOptions {
  /** The problems with individual fields, when the error is about input. */
  issues?: FieldIssue[];
  /** The error this one wraps: never swallowed, always kept. */
  cause?: unknown;
}

export class QuarryError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: ErrorCode, message: string, options: QuarryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.issues = options.issues ?? [];
  }

  /** The dotted path of the first offending field (`items.3.price`), if the error names one. */
  get field(): string | undefined {
    const first = this.issues[0];
    return first === undefined ? undefined : formatPath(first.path);
  }

  toJSON(): { code: ErrorCode; message: string; field?: string; issues?: { path: string; message: string }[] } {
    const body: ReturnType<QuarryError['toJSON']> = { code: this.code, message: this.message };
    if (this.field !== undefined) body.field = this.field;
    if (this.issues.length > 0) body.issues = this.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    return body;
  }
}

export class InvalidArgumentError extends QuarryError {
  constructor(message: string, options?: QuarryErrorOptions) {
    super('INVALID_ARGUMENT', message, options);
  }
}

export class NotFoundError extends QuarryError {
  constructor(message: string, options?: QuarryErrorOptions) {
    super('NOT_FOUND', message, options);
  }
}

export class AlreadyExistsError extends QuarryError {
  constructor(message: string, options?: QuarryErrorOptions) {
    super('ALREADY_EXISTS', message, options);
  }
}

export class FailedPreconditionError extends QuarryError {
  constructor(message: string, options?: QuarryErrorOptions) {
    super('FAILED_PRECONDITION', message, options);
  }
}

export class IncompatibleFormatError extends QuarryError {
  constructor(message: string, options?: QuarryErrorOptions) {
    super('INCOMPATIBLE_FORMAT', message, options);
  }
}

export class PayloadTooLargeError extends QuarryError {
  constructor(message: string, options?: QuarryErrorOptions) {
    super('PAYLOAD_TOO_LARGE', message, options);
  }
}

export class UnavailableError extends QuarryError {
  constructor(message: string, options?: QuarryErrorOptions) {
    super('UNAVAILABLE', message, options);
  }
}

export class CancelledError extends QuarryError {
  constructor(message: string, options?: QuarryErrorOptions) {
    super('CANCELLED', message, options);
  }
}

/** `["items", 3, "price"]` → `items.3.price`; the empty path is the input itself (`(root)`). */
export function formatPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

/** Wraps anything thrown into a QuarryError, keeping the original as `cause`. */
export function toQuarryError(error: unknown): QuarryError {
  if (error instanceof QuarryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new QuarryError('INTERNAL', message, { cause: error });
}

/** Asserts an internal invariant; a failure is a bug in Quarry, not bad input. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new QuarryError('INTERNAL', `invariant failed: ${message}`);
}
