/**
 * Test support for the query routes: an HTTP app built as the project builds its listeners,
 * serving the routes with in-memory userapi/roomserver stand-ins and a federation authenticator
 * that accepts any `X-Matrix` header as coming from {@link QUERY_TEST_ORIGIN} (the real X-Matrix
 * check has its own suites; these test what the routes answer).
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { createHttpServer } from '../../internal/httputil/create-http-server.js';
import type { AnyRoute } from '../../internal/httputil/route.js';
import type { QueryRoutesDeps } from './query-routes-deps.js';

/** Our server name in these tests. */
export const QUERY_TEST_SERVER = 'us.test';
/** Who every authenticated test request comes from. */
export const QUERY_TEST_ORIGIN = 'them.test';

/** Builds the app; `deps` fills in what a test needs (unused APIs throw). */
export function queryTestApp(routes: (deps: QueryRoutesDeps) => AnyRoute[], deps: Partial<QueryRoutesDeps>): FastifyInstance {
  const unused = (): never => {
    throw new Error('not used by this test');
  };
  const full: QueryRoutesDeps = {
    serverName: QUERY_TEST_SERVER,
    userApi: { queryProfile: unused },
    roomserverApi: { queryRoomAlias: unused, queryJoinedServers: unused },
    ...deps,
  };
  return createHttpServer({
    logger: pino({ level: 'silent' }),
    routes: routes(full),
    maxBodyBytes: 65536,
    trustProxy: false,
    cors: false,
    accessTokenInQuery: false,
    authenticators: {
      federation: {
        authenticate: async (req) => {
          if (!req.headers.authorization?.startsWith('X-Matrix ')) throw MatrixError.unauthorized('Missing X-Matrix authorization');
          return { serverName: QUERY_TEST_ORIGIN };
        },
      },
    },
  });
}

/** A GET with a (fake) X-Matrix header; the status and parsed body. */
export async function signedGet(app: FastifyInstance, url: string, signed = true): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.inject({ method: 'GET', url, headers: signed ? { authorization: 'X-Matrix origin="them.test",key="ed25519:k",sig="x"' } : {} });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}
