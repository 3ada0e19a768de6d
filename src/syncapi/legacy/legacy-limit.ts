/** The `limit` parameter of the legacy paths, which the spec leaves to the server. */
import { MatrixError } from '../../internal/errors/matrix-error.js';

/**
 * `limit` as asked, `fallback` when absent, at most `max`; 0 is allowed (no messages).
 *
 * @throws MatrixError 400 `M_INVALID_PARAM` when negative.
 */
export function legacyLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (limit < 0) throw MatrixError.invalidParam('limit must not be negative');
  return Math.min(limit, max);
}
