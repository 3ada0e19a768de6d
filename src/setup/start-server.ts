/**
 * The composition root of a process: from a validated config it opens storage, builds the
 * listeners with the routes of the components this process runs, and starts listening.
 * `stop()` stops accepting, lets in-flight requests finish, then closes storage.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { getVersions } from '../clientapi/routing/get-versions.js';
import { COMPONENT_NAMES, type ComponentName } from '../internal/config/config-schema.js';
import type { LoadedConfig } from '../internal/config/load-config.js';
import type { Authenticators } from '../internal/httputil/authenticators.js';
import { createHttpServer } from '../internal/httputil/create-http-server.js';
import { HttpMetrics } from '../internal/httputil/http-metrics.js';
import { RateLimiter } from '../internal/httputil/rate-limiter.js';
import type { AnyRoute } from '../internal/httputil/route.js';
import { DatabasePool } from '../internal/sqlutil/database-pool.js';
import type { SigningKey } from '../matrix/signing-key.js';
import { baseRoutes, type Health } from './base-routes.js';
import { createLogger } from './create-logger.js';
import { loadOrCreateSigningKey } from './load-signing-key.js';

export interface StartOptions {
  /** Components this process runs; all of them (monolith) when omitted. */
  readonly components?: readonly ComponentName[];
  /** A logger to use instead of one built from the config (tests). */
  readonly logger?: Logger;
}

export interface RunningServer {
  readonly config: LoadedConfig;
  readonly signingKey: SigningKey;
  readonly logger: Logger;
  /** Base URLs the listeners ended up on (ports resolved when the config said 0). */
  readonly urls: { readonly client: string; readonly federation?: string; readonly internal: string };
  stop(): Promise<void>;
}

export async function startServer(config: LoadedConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logging.level, config.logging.format);
  const signingKey = loadOrCreateSigningKey(config.signing_key_path);
  const databases = new DatabasePool(config.database);
  const components = opts.components ?? COMPONENT_NAMES;
  // Open every database this process uses now, so a bad connection string stops start-up at once.
  await Promise.all(components.map((c) => databases.forComponent(c)));
  const metrics = config.metrics.enabled ? new HttpMetrics() : undefined;
  const health: Health = { problems: () => [] };
  const authenticators: Authenticators = {};
  const rateLimiter = config.rate_limiting.enabled ? rateLimiterFor(config) : undefined;

  const componentRoutes: AnyRoute[] = [getVersions];
  const isFederationPath = (r: AnyRoute) => r.path.startsWith('/_matrix/federation/') || r.path.startsWith('/_matrix/key/');
  const fedListener = config.listen.federation;
  const common = {
    logger,
    authenticators,
    rateLimiter,
    rateLimitExempt: new Set(config.rate_limiting.exempt_user_ids),
    accessTokenInQuery: config.http.access_token_in_query,
    maxBodyBytes: config.http.max_body_bytes,
    trustProxy: config.http.trust_forwarded_for,
    metrics,
  };
  const base = baseRoutes(config, metrics, health);
  const client = createHttpServer({
    ...common,
    cors: true,
    routes: [...base, ...componentRoutes.filter((r) => !fedListener || !isFederationPath(r))],
  });
  const federation = fedListener
    ? createHttpServer({
        ...common,
        cors: false,
        routes: [...base.filter((r) => r.path === '/health'), ...componentRoutes.filter(isFederationPath)],
        https: { cert: readFileSync(fedListener.tls_cert), key: readFileSync(fedListener.tls_key) },
      })
    : undefined;
  const internal = createHttpServer({ ...common, cors: false, metrics: undefined, routes: base.filter((r) => r.path === '/health') });

  const started: FastifyInstance[] = [];
  const stop = async () => {
    await Promise.all(started.map((s) => s.close()));
    await databases.closeAll();
    logger.info('stopped');
  };
  try {
    const clientUrl = await listen(client, config.listen.client, 'http', started);
    const federationUrl = federation && fedListener ? await listen(federation, fedListener, 'https', started) : undefined;
    const internalUrl = await listen(internal, config.listen.internal, 'http', started);
    logger.info({ client: clientUrl, federation: federationUrl, internal: internalUrl, server_name: config.server_name }, 'listening');
    return { config, signingKey, logger, urls: { client: clientUrl, federation: federationUrl, internal: internalUrl }, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function listen(
  app: FastifyInstance,
  at: { host: string; port: number },
  scheme: 'http' | 'https',
  started: FastifyInstance[],
): Promise<string> {
  await app.listen({ host: at.host, port: at.port });
  started.push(app);
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : at.port;
  const host = at.host.includes(':') ? `[${at.host}]` : at.host;
  return `${scheme}://${host}:${port}`;
}

function rateLimiterFor(config: LoadedConfig): RateLimiter {
  const rl = config.rate_limiting;
  const general = { perSecond: rl.per_second, burst: rl.burst };
  const login = { perSecond: rl.login_per_second, burst: rl.login_burst };
  return new RateLimiter({ default: general, message: general, media: general, login, register: login });
}
