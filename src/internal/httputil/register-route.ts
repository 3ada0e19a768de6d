/**
 * Registers one descriptor on one path: authenticates by the route's auth kind, applies its
 * rate-limit class, calls the handler and renders its result.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MatrixError } from '../errors/matrix-error.js';
import { readAccessToken } from './access-token.js';
import type { Authenticators } from './authenticators.js';
import type { RateLimiter } from './rate-limiter.js';
import type { AnyRoute, FederationOrigin, Requester, RouteResult } from './route.js';

export interface RouteDeps {
  readonly authenticators: Authenticators;
  readonly rateLimiter?: RateLimiter;
  /** Users never rate-limited. */
  readonly rateLimitExempt?: ReadonlySet<string>;
  readonly accessTokenInQuery: boolean;
}

export function registerRoute(app: FastifyInstance, route: AnyRoute, path: string, deps: RouteDeps): void {
  if ((route.auth === 'user' || route.auth === 'user-or-guest' || route.auth === 'admin') && !deps.authenticators.user) {
    throw new Error(`route ${route.method} ${route.path} needs user authentication but no authenticator was wired`);
  }
  if (route.auth === 'federation' && !deps.authenticators.federation) {
    throw new Error(`route ${route.method} ${route.path} needs federation authentication but no authenticator was wired`);
  }
  app.route({
    method: route.method,
    url: path,
    bodyLimit: route.bodyLimit,
    schema: {
      ...(route.schema.body ? { body: route.schema.body } : {}),
      ...(route.schema.query ? { querystring: route.schema.query } : {}),
      ...(route.schema.params ? { params: route.schema.params } : {}),
    },
    handler: async (req, reply) => {
      const { requester, origin } = await authenticate(route, req, deps);
      if (deps.rateLimiter && route.rateLimit !== 'none' && !(requester && deps.rateLimitExempt?.has(requester.userId))) {
        deps.rateLimiter.take(route.rateLimit, requester?.userId ?? origin?.serverName ?? req.ip);
      }
      const result = await route.handler({
        body: req.body,
        query: (req.query ?? {}) as never,
        params: (req.params ?? {}) as never,
        requester,
        origin,
        ip: req.ip,
        request: req,
        reply,
      });
      return render(result, reply);
    },
  });
}

async function authenticate(
  route: AnyRoute,
  req: FastifyRequest,
  deps: RouteDeps,
): Promise<{ requester?: Requester; origin?: FederationOrigin }> {
  switch (route.auth) {
    case 'none':
      return {};
    case 'federation':
      return { origin: await deps.authenticators.federation!.authenticate(req, req.body) };
    case 'optional': {
      const token = readAccessToken(req, deps.accessTokenInQuery);
      if (!token || !deps.authenticators.user) return {};
      return { requester: await deps.authenticators.user.authenticate(token, req) };
    }
    case 'user':
    case 'user-or-guest':
    case 'admin': {
      const token = readAccessToken(req, deps.accessTokenInQuery);
      if (!token) throw MatrixError.missingToken();
      const requester = await deps.authenticators.user!.authenticate(token, req);
      if (route.auth === 'user' && requester.isGuest) throw MatrixError.guestAccessForbidden();
      if (route.auth === 'admin' && !requester.isAdmin) throw MatrixError.forbidden('You are not a server admin');
      return { requester };
    }
  }
}

function render(result: RouteResult, reply: FastifyReply): unknown {
  const r = result as { kind?: string };
  if (r.kind === 'raw-reply-sent') return reply;
  if (r.kind === 'json-response') {
    const j = result as { status: number; body: unknown; headers?: Record<string, string> };
    if (j.headers) void reply.headers(j.headers);
    void reply.code(j.status).type('application/json');
    return j.body;
  }
  void reply.type('application/json');
  return result;
}
