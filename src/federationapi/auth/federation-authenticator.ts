/**
 * The HTTP layer's X-Matrix check (`auth: 'federation'` routes): reads what the signature covers
 * from the Fastify request exactly as it arrived — the raw request target, every Authorization
 * header, whether there was a body — and verifies it with {@link verifyFederationRequest}.
 */
import type { FastifyRequest } from 'fastify';
import type { FederationAuthenticator } from '../../internal/httputil/authenticators.js';
import type { FederationOrigin } from '../../internal/httputil/route.js';
import type { JsonValue } from '../../matrix/json.js';
import type { FederationKeyLookup } from './federation-key-lookup.js';
import { verifyFederationRequest } from './verify-request.js';

/** What {@link createFederationAuthenticator} needs. */
export interface FederationAuthenticatorOptions {
  /** Our server name: requests must be addressed to it. */
  readonly serverName: string;
  /** The key ring, for the origin's public keys. */
  readonly keys: FederationKeyLookup;
  /** Clock for key validity (default `Date.now`). */
  readonly now?: () => number;
}

/** Builds the authenticator the HTTP layer calls for every federation route. */
export function createFederationAuthenticator(opts: FederationAuthenticatorOptions): FederationAuthenticator {
  const now = opts.now ?? Date.now;
  return {
    async authenticate(req: FastifyRequest, body: unknown): Promise<FederationOrigin> {
      const verified = await verifyFederationRequest({
        method: req.method,
        // `req.url` may have been rewritten; the sender signed the target as it sent it.
        uri: req.raw.url ?? req.url,
        headers: { authorization: authorizationHeaders(req) },
        body: hadBody(req) && body !== undefined ? (body as JsonValue) : undefined,
        ourServerName: opts.serverName,
        keys: opts.keys,
        now: now(),
      });
      return { serverName: verified.origin };
    },
  };
}

/**
 * Every Authorization header in order. `req.headers` keeps only the first (Node drops duplicate
 * Authorization headers), but a sender with two keys may send two.
 */
export function authorizationHeaders(req: FastifyRequest): string[] {
  const raw = req.raw.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'authorization') values.push(raw[i + 1] ?? '');
  }
  if (values.length === 0 && typeof req.headers.authorization === 'string') values.push(req.headers.authorization);
  return values;
}

/**
 * Whether the request carried a body. The HTTP layer hands body-less PUTs and POSTs to handlers
 * as `{}`, but the sender signed no `content` for them, so the headers decide.
 */
export function hadBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}
