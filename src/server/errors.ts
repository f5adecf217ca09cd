/**
 * The one place that maps errors to HTTP: QuarryError codes to statuses, and Fastify's own errors
 * (malformed JSON, oversized bodies, schema validation) to the same JSON error body.
 */

import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { QuarryError, toQuarryError, type ErrorCode, type FieldIssue } from '../core/index.js';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  INCOMPATIBLE_FORMAT: 422,
  PAYLOAD_TOO_LARGE: 413,
  CANCELLED: 503,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface HttpError {
  status: number;
  error: QuarryError;
}

/** Any error a route can end in → a status and a QuarryError to send as `{ error }`. */
export function toHttpError(raw: unknown): HttpError {
  if (raw instanceof QuarryError) return { status: HTTP_STATUS[raw.code], error: raw };
  if (hasZodFastifySchemaValidationErrors(raw)) return { status: 400, error: fromValidation(raw) };
  if (isFastifyError(raw) && raw.statusCode !== undefined && raw.statusCode < 500) {
    return { status: raw.statusCode, error: fromFastify(raw) };
  }
  const error = toQuarryError(raw);
  return { status: HTTP_STATUS[error.code], error };
}

function fromValidation(error: { validation: { instancePath: string; message?: string }[]; validationContext?: string }): QuarryError {
  const where = error.validationContext === 'querystring' ? 'query string' : (error.validationContext ?? 'request');
  // A problem with the whole body (not an object, say) is named after the part: `body`, `query`.
  const whole = where === 'query string' ? 'query' : where;
  const issues: FieldIssue[] = error.validation.map((v) => {
    const path = toPath(v.instancePath);
    return { path: path.length === 0 ? [whole] : path, message: v.message ?? 'is invalid' };
  });
  const first = issues[0];
  const at = first === undefined || first.path.length === 0 ? '' : ` at ${first.path.join('.')}`;
  const tail = where === 'body' ? '; nothing was written' : '';
  return new QuarryError('INVALID_ARGUMENT', `invalid ${where}${at}: ${first?.message ?? 'does not match the schema'}${tail}`, { issues });
}

function fromFastify(error: FastifyError): QuarryError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new QuarryError('PAYLOAD_TOO_LARGE', `request body is larger than the server's limit: ${error.message}`, {
        issues: [{ path: ['body'], message: 'too large' }],
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new QuarryError('INVALID_ARGUMENT', `unsupported content type: ${error.message}; send application/json`, {
        issues: [{ path: ['content-type'], message: 'must be application/json' }],
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new QuarryError('INVALID_ARGUMENT', 'request body is empty; send a JSON object', {
        issues: [{ path: ['body'], message: 'is empty' }],
      });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new QuarryError('INVALID_ARGUMENT', 'request body is not valid JSON', {
        issues: [{ path: ['body'], message: 'is not valid JSON' }],
      });
    default:
      return new QuarryError(error.statusCode === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT', error.message, { cause: error });
  }
}

/** `/items/3/price` → `["items", 3, "price"]`. */
function toPath(instancePath: string): (string | number)[] {
  return instancePath
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && 'statusCode' in error;
}
