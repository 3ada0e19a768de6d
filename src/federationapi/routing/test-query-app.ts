/**
 * Test support for the query routes: a {@link testFederationApp} serving the routes with in-memory
 * userapi/roomserver stand-ins, where any `X-Matrix` header comes from {@link QUERY_TEST_ORIGIN}.
 */
import type { FastifyInstance } from 'fastify';
import type { AnyRoute } from '../../internal/httputil/route.js';
import type { QueryRoutesDeps } from './query-routes-deps.js';
import { testFederationApp } from './test-federation-app.js';

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
  return testFederationApp(routes(full), QUERY_TEST_ORIGIN);
}

/** A GET with a (fake) X-Matrix header; the status and parsed body. */
export async function signedGet(app: FastifyInstance, url: string, signed = true): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.inject({ method: 'GET', url, headers: signed ? { authorization: 'X-Matrix origin="them.test",key="ed25519:k",sig="x"' } : {} });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}
