/**
 * The one error renderer: whatever a handler or Fastify throws becomes a MatrixError, so every
 * error response is `{errcode, error}` with the right status.
 */
import type { ErrorObject } from 'ajv';
import { MatrixError } from '../errors/matrix-error.js';
import { validationError } from './validation-error.js';

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: ErrorObject[];
  validationContext?: string;
  message?: string;
}

/** Maps any thrown value to a MatrixError; `internal` is true for unexpected (500) errors. */
export function toMatrixError(err: unknown): { error: MatrixError; internal: boolean } {
  if (err instanceof MatrixError) return { error: err, internal: err.status >= 500 };
  const e = (typeof err === 'object' && err !== null ? err : {}) as FastifyLikeError;
  if (e.validation) return { error: validationError(e.validation, e.validationContext ?? 'body'), internal: false };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { error: MatrixError.tooLarge('Request body too large'), internal: false };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { error: MatrixError.notJson('Content not JSON'), internal: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { error: new MatrixError(415, 'M_UNKNOWN', 'Unsupported Content-Type'), internal: false };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { error: MatrixError.unknown('Content-Length does not match the body'), internal: false };
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return { error: MatrixError.unknown(e.message ?? 'Bad request', e.statusCode), internal: false };
  }
  return { error: MatrixError.internal(), internal: true };
}
