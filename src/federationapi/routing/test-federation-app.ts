/**
 * Test support for federation routes: an HTTP app built as the project builds its listeners,
 * serving the given routes behind a federation authenticator that trusts any `X-Matrix` header
 * (the real X-Matrix check has its own suites; route tests test what the routes answer to whom).
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { createHttpServer } from '../../internal/httputil/create-http-server.js';
import type { AnyRoute } from '../../internal/httputil/route.js';

/**
 * Builds the app serving `routes`. A request with an `X-Matrix` header comes from `origin` when
 * given, else from the header's own `origin="…"` (so a test can speak as several servers).
 */
export function testFederationApp(routes: AnyRoute[], origin?: string): FastifyInstance {
  return createHttpServer({
    logger: pino({ level: 'silent' }),
    routes,
    maxBodyBytes: 65536,
    trustProxy: false,
    cors: false,
    accessTokenInQuery: false,
    authenticators: {
      federation: {
        authenticate: async (req) => {
          const header = req.headers.authorization ?? '';
          const from = header.startsWith('X-Matrix ') ? (origin ?? /^X-Matrix origin="([^"]+)"/.exec(header)?.[1]) : undefined;
          if (from === undefined) throw MatrixError.unauthorized('Missing X-Matrix authorization');
          return { serverName: from };
        },
      },
    },
  });
}
