/**
 * Test support for federation routes: one request to a {@link testFederationApp} in the name of
 * a server, with the (fake) `X-Matrix` header that app reads its origin from.
 */
import type { FastifyInstance } from 'fastify';
import type { HttpMethod } from '../../internal/httputil/route.js';

/** An answer: status and parsed body (an object, or v1's `[200, body]` array). */
export interface InjectedAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** `method url` as `origin`, with `payload` (when given) sent as JSON. */
export async function injectAs(app: FastifyInstance, origin: string, method: HttpMethod, url: string, payload?: unknown): Promise<InjectedAnswer> {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: `X-Matrix origin="${origin}",key="ed25519:k",sig="x"`, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}
