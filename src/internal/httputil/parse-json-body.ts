/**
 * Our JSON body parser, used whatever the Content-Type (many clients send JSON as text/plain or
 * with none): an empty body is `{}`, anything unparsable is M_NOT_JSON. Request bodies must be
 * objects where the spec has a body, which the route schemas check.
 */
import { MatrixError } from '../errors/matrix-error.js';

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw MatrixError.notJson('Request body is not valid JSON');
  }
}
