/**
 * Routes every public listener has whatever components run: discovery documents, health and
 * metrics.
 */
import type { LoadedConfig } from '../internal/config/load-config.js';
import type { HttpMetrics } from '../internal/httputil/http-metrics.js';
import { RAW_REPLY_SENT, defineRoute, type AnyRoute } from '../internal/httputil/route.js';
import { MatrixError } from '../internal/errors/matrix-error.js';

export interface Health {
  /** Empty when healthy; otherwise what is wrong (e.g. "bus unreachable"). */
  problems(): string[];
}

export function baseRoutes(config: LoadedConfig, metrics: HttpMetrics | undefined, health: Health): AnyRoute[] {
  const routes: AnyRoute[] = [
    defineRoute({
      method: 'GET',
      path: '/.well-known/matrix/client',
      auth: 'none',
      rateLimit: 'none',
      schema: {},
      handler: async () => ({
        'm.homeserver': { base_url: (config.well_known.client_base_url ?? config.publicBaseUrl).replace(/\/$/, '') },
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/.well-known/matrix/server',
      auth: 'none',
      rateLimit: 'none',
      schema: {},
      handler: async () => {
        if (!config.well_known.server) throw MatrixError.notFound('No /.well-known/matrix/server is configured');
        return { 'm.server': config.well_known.server };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/.well-known/matrix/support',
      auth: 'none',
      rateLimit: 'none',
      schema: {},
      handler: async () => {
        const doc = supportDocument(config.well_known.support);
        if (!doc) throw MatrixError.notFound('No /.well-known/matrix/support is configured');
        return doc;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/health',
      auth: 'none',
      rateLimit: 'none',
      schema: {},
      handler: async ({ reply }) => {
        const problems = health.problems();
        await reply
          .code(problems.length === 0 ? 200 : 503)
          .type('text/plain')
          .send(problems.length === 0 ? 'OK' : problems.join('\n'));
        return RAW_REPLY_SENT;
      },
    }),
  ];
  if (metrics) {
    routes.push(
      defineRoute({
        method: 'GET',
        path: '/metrics',
        auth: 'none',
        rateLimit: 'none',
        schema: {},
        handler: async ({ reply }) => {
          await reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
          return RAW_REPLY_SENT;
        },
      }),
    );
  }
  return routes;
}

/**
 * The body of `/.well-known/matrix/support`, or `undefined` when none is configured (spec: 404).
 * Only the spec's fields are copied, and an empty `contacts` is left out: the config checks
 * already require contacts or a support page, and the spec forbids an empty `contacts` alone.
 */
export function supportDocument(support: LoadedConfig['well_known']['support']): Record<string, unknown> | undefined {
  if (!support) return undefined;
  const contacts = (support.contacts ?? []).map((c) => ({
    role: c.role,
    ...(c.matrix_id !== undefined ? { matrix_id: c.matrix_id } : {}),
    ...(c.email_address !== undefined ? { email_address: c.email_address } : {}),
  }));
  return {
    ...(contacts.length > 0 ? { contacts } : {}),
    ...(support.support_page !== undefined ? { support_page: support.support_page } : {}),
  };
}
