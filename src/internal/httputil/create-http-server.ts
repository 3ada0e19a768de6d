/**
 * Builds a Fastify server for one listener: request IDs, our JSON parser, CORS, the one error
 * renderer, 404/405 answers in Matrix form, and the given routes registered from their descriptors.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import FindMyWay from 'find-my-way';
import type { Logger } from 'pino';
import { MatrixError } from '../errors/matrix-error.js';
import type { HttpMetrics } from './http-metrics.js';
import { CORS_HEADERS } from './cors.js';
import { parseJsonBody } from './parse-json-body.js';
import { toMatrixError } from './render-error.js';
import { registerRoute, type RouteDeps } from './register-route.js';
import type { AnyRoute, HttpMethod } from './route.js';
import { pathsFor } from './route-aliases.js';
import { compileValidator } from './schema-compilers.js';

export interface HttpServerOptions extends RouteDeps {
  readonly logger: Logger;
  readonly routes: readonly AnyRoute[];
  readonly maxBodyBytes: number;
  readonly trustProxy: boolean;
  /** Add CORS headers and answer OPTIONS (public client/media listeners). */
  readonly cors: boolean;
  readonly metrics?: HttpMetrics;
  /** TLS for the federation listener. */
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];

export function createHttpServer(opts: HttpServerOptions): FastifyInstance {
  const serverOpts: FastifyServerOptions & { https?: { cert: Buffer; key: Buffer } } = {
    loggerInstance: opts.logger,
    // Per-request access logs are metrics' job; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIds(),
    requestIdHeader: false,
    bodyLimit: opts.maxBodyBytes,
    trustProxy: opts.trustProxy,
    routerOptions: { maxParamLength: 2048 },
    return503OnClosing: true,
    ...(opts.https ? { https: { cert: opts.https.cert, key: opts.https.key } } : {}),
  };
  const app = Fastify(serverOpts as FastifyServerOptions) as unknown as FastifyInstance;
  app.setValidatorCompiler(compileValidator as never);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  // Fastify skips the parser for a body-less request; Matrix treats it as the empty object.
  app.addHook('preValidation', async (req) => {
    if (req.body === undefined && req.method !== 'GET' && req.method !== 'HEAD') req.body = {};
  });

  // Which paths exist for any method, to tell 405 (wrong method) from 404 (no such endpoint).
  const known = FindMyWay({ maxParamLength: 2048 });
  for (const r of opts.routes) for (const p of pathsFor(r.path)) if (!known.find(r.method, p)) known.on(r.method, p, () => {});

  if (opts.cors) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.method === 'OPTIONS') {
        await reply.code(200).headers(CORS_HEADERS).send({});
      }
    });
    app.addHook('onSend', async (_req, reply) => {
      reply.headers(CORS_HEADERS);
    });
  }
  if (opts.metrics) opts.metrics.instrument(app);

  app.setErrorHandler((err, req, reply) => {
    const { error, internal } = toMatrixError(err);
    if (internal) req.log.error({ err }, 'request failed');
    void reply.code(error.status).headers(retryAfter(error)).send(error.body());
  });
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? req.url;
    const other = METHODS.some((m) => m !== req.method && known.find(m, url));
    const error = other
      ? MatrixError.unrecognized(`Method ${req.method} is not allowed on ${url}`, 405)
      : MatrixError.unrecognized(`Unrecognized request: ${req.method} ${url}`, 404);
    void reply.code(error.status).send(error.body());
  });

  for (const r of opts.routes) if (!r.rawBody) for (const p of pathsFor(r.path)) registerRoute(app, r, p, opts);
  const rawRoutes = opts.routes.filter((r) => r.rawBody);
  if (rawRoutes.length > 0) {
    // Content-type parsers are scoped to a plugin: here the body is handed over as the stream.
    void app.register(async (raw) => {
      raw.removeAllContentTypeParsers();
      raw.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
      // A reply sent before the body was read (auth failed, size limit hit): the rest of the body
      // is still on the socket, so the connection cannot carry another request.
      raw.addHook('onSend', async (req, reply) => {
        const body = req.body as { readableEnded?: boolean; resume?: () => void } | undefined;
        if (body && typeof body.resume === 'function' && body.readableEnded === false) {
          void reply.header('connection', 'close');
          body.resume();
        }
      });
      for (const r of rawRoutes) for (const p of pathsFor(r.path)) registerRoute(raw, r, p, opts);
    });
  }
  return app;
}

/**
 * Request IDs unique across processes and restarts: a random prefix per server and a counter.
 * (Eight random bytes per request cost a syscall-backed RNG call on every request.)
 */
function requestIds(): () => string {
  const prefix = randomBytes(6).toString('hex');
  let n = 0;
  return () => `${prefix}-${(n++).toString(36)}`;
}

function retryAfter(e: MatrixError): Record<string, string> {
  const ms = e.extra.retry_after_ms;
  return typeof ms === 'number' ? { 'retry-after': String(Math.ceil(ms / 1000)) } : {};
}
