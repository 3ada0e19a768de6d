/** Reads the access token from `Authorization: Bearer …` or, when allowed, `?access_token=`. */
import type { FastifyRequest } from 'fastify';
import { MatrixError } from '../errors/matrix-error.js';

export function readAccessToken(req: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m?.[1]) throw MatrixError.unknownToken('Malformed Authorization header: expected "Bearer <token>"');
    return m[1];
  }
  if (!allowQuery) return undefined;
  const q = (req.query as Record<string, unknown> | undefined)?.access_token;
  return typeof q === 'string' && q.length > 0 ? q : undefined;
}
