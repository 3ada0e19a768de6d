/**
 * Turns a schema validation failure into the spec's error: a missing field → M_MISSING_PARAM,
 * a malformed body → M_BAD_JSON, a malformed query or path parameter → M_INVALID_PARAM,
 * each naming the field.
 */
import type { ErrorObject } from 'ajv';
import { MatrixError } from '../errors/matrix-error.js';

export type ValidationContext = 'body' | 'querystring' | 'params' | 'headers' | string;

export function validationError(errors: readonly ErrorObject[], context: ValidationContext): MatrixError {
  const err = errors[0];
  const where = context === 'querystring' ? 'query parameter' : context === 'params' ? 'path parameter' : 'field';
  if (!err) return context === 'body' ? MatrixError.badJson('Invalid request body') : MatrixError.invalidParam('Invalid parameter');
  const path = err.instancePath.split('/').filter(Boolean).join('.');
  if (err.keyword === 'required') {
    const missing = (err.params as { missingProperty?: string }).missingProperty ?? '';
    const name = path ? `${path}.${missing}` : missing;
    return MatrixError.missingParam(`Missing ${where} '${name}'`);
  }
  const name = path || (context === 'body' ? 'body' : where);
  const msg = err.keyword === 'additionalProperties'
    ? `${where} '${name}' has unexpected key '${(err.params as { additionalProperty?: string }).additionalProperty ?? ''}'`
    : `${where} '${name}' ${err.message ?? 'is invalid'}`;
  return context === 'body' ? MatrixError.badJson(`Invalid ${msg}`) : MatrixError.invalidParam(`Invalid ${msg}`);
}
