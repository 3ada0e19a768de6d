/**
 * The composition root of a process: from a validated config it opens storage and the bus,
 * starts the components this process runs (all of them in a monolith), and serves their routes
 * on the client, federation and internal listeners. `stop()` stops accepting, lets in-flight
 * requests finish, stops the components, then closes the bus and storage.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError } from '../internal/config/config-error.js';
import type { LoadedConfig } from '../internal/config/load-config.js';
import type { Authenticators } from '../internal/httputil/authenticators.js';
import { createHttpServer } from '../internal/httputil/create-http-server.js';
import { HttpMetrics } from '../internal/httputil/http-metrics.js';
import { RateLimiter } from '../internal/httputil/rate-limiter.js';
import type { AnyRoute } from '../internal/httputil/route.js';
import { closeRpcDispatchers } from '../internal/rpc/rpc-dispatcher.js';
import { DatabasePool } from '../internal/sqlutil/database-pool.js';
import type { SigningKey } from '../matrix/signing-key.js';
import { baseRoutes, type Health } from './base-routes.js';
import type { ComponentDefinition } from './component.js';
import { createLogger } from './create-logger.js';
import { createProcessBus, type ProcessBus } from './create-bus.js';
import { DEFAULT_COMPONENTS } from './default-components.js';
import { loadOrCreateSigningKey } from './load-signing-key.js';
import { startComponents, type StartedComponents } from './start-components.js';
import { userAuthenticators } from './user-authenticators.js';

export interface StartOptions {
  /** Components this process runs; all of them (monolith) when omitted. */
  readonly components?: readonly string[];
  /** A logger to use instead of one built from the config (tests). */
  readonly logger?: Logger;
  /** The component definitions to choose from (tests add their own). */
  readonly registry?: readonly ComponentDefinition[];
}

export interface RunningServer {
  readonly config: LoadedConfig;
  readonly signingKey: SigningKey;
  readonly logger: Logger;
  /** Base URLs the listeners ended up on (ports resolved when the config said 0). */
  readonly urls: { readonly client: string; readonly federation?: string; readonly internal: string };
  /** The API of a component, as the components of this process reach it. */
  api<T>(component: string): T;
  stop(): Promise<void>;
}

export async function startServer(config: LoadedConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logging.level, config.logging.format);
  const registry = opts.registry ?? DEFAULT_COMPONENTS;
  const selected = checkSelection(config, registry, opts.components);
  const polylith = selected.length < registry.length;
  const signingKey = loadOrCreateSigningKey(config.signing_key_path);
  const databases = new DatabasePool(config.database);
  const started: FastifyInstance[] = [];
  let processBus: ProcessBus | undefined;
  let components: StartedComponents | undefined;
  const stop = async () => {
    // Long-polls would hold the listeners' close for up to their timeout.
    components?.drain();
    await Promise.all(started.map((s) => s.close()));
    await components?.stop();
    await processBus?.close();
    await closeRpcDispatchers();
    await databases.closeAll();
    logger.info('stopped');
  };
  try {
    // Open every database this process uses now, so a bad connection string stops start-up at once.
    await Promise.all(selected.map((c) => databases.forComponent(c)));
    processBus = await createProcessBus(config, databases, polylith, logger);
    const bus = processBus.bus;
    components = await startComponents({ config, logger, signingKey, bus, databases, registry, selected });
    const c = components;
    const health: Health = { problems: () => [...bus.problems(), ...c.problems()] };
    const authenticators: Authenticators = {
      ...(registry.some((d) => d.name === 'userapi') ? userAuthenticators(c, logger) : {}),
      ...(c.federationAuthenticator && { federation: c.federationAuthenticator }),
    };
    const urls = await listenAll(config, logger, c.publicRoutes, c.internalRoutes, authenticators, health, started);
    logger.info({ ...urls, server_name: config.server_name, components: selected }, 'listening');
    return { config, signingKey, logger, urls, api: c.api, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

function checkSelection(config: LoadedConfig, registry: readonly ComponentDefinition[], wanted?: readonly string[]): string[] {
  const names = registry.map((d) => d.name);
  for (const n of wanted ?? []) {
    if (!names.includes(n)) throw new ConfigError(`unknown component "${n}" (known: ${names.join(', ')})`);
  }
  for (const n of Object.keys(config.components)) {
    if (!names.includes(n)) throw new ConfigError(`invalid config: components.${n}: unknown component (known: ${names.join(', ')})`, `components.${n}`);
  }
  return wanted ? names.filter((n) => wanted.includes(n)) : names;
}

async function listenAll(
  config: LoadedConfig,
  logger: Logger,
  publicRoutes: readonly AnyRoute[],
  internalRoutes: readonly AnyRoute[],
  authenticators: Authenticators,
  health: Health,
  started: FastifyInstance[],
): Promise<RunningServer['urls']> {
  const metrics = config.metrics.enabled ? new HttpMetrics() : undefined;
  const isFederationPath = (r: AnyRoute) => r.path.startsWith('/_matrix/federation/') || r.path.startsWith('/_matrix/key/');
  const fedListener = config.listen.federation;
  const common = {
    logger,
    authenticators,
    rateLimiter: config.rate_limiting.enabled ? rateLimiterFor(config) : undefined,
    rateLimitExempt: new Set(config.rate_limiting.exempt_user_ids),
    accessTokenInQuery: config.http.access_token_in_query,
    maxBodyBytes: config.http.max_body_bytes,
    trustProxy: config.http.trust_forwarded_for,
    metrics,
  };
  const base = baseRoutes(config, metrics, health);
  const healthOnly = base.filter((r) => r.path === '/health');
  const client = createHttpServer({
    ...common,
    cors: true,
    routes: [...base, ...publicRoutes.filter((r) => !fedListener || !isFederationPath(r))],
  });
  const federation = fedListener
    ? createHttpServer({
        ...common,
        cors: false,
        routes: [...healthOnly, ...publicRoutes.filter(isFederationPath)],
        https: { cert: readFileSync(fedListener.tls_cert), key: readFileSync(fedListener.tls_key) },
      })
    : undefined;
  const internal = createHttpServer({
    ...common,
    rateLimiter: undefined,
    cors: false,
    metrics: undefined,
    routes: [...healthOnly, ...internalRoutes],
  });
  const clientUrl = await listen(client, config.listen.client, 'http', started);
  const federationUrl = federation && fedListener ? await listen(federation, fedListener, 'https', started) : undefined;
  const internalUrl = await listen(internal, config.listen.internal, 'http', started);
  return { client: clientUrl, federation: federationUrl, internal: internalUrl };
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
