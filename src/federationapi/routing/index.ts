/** Every public route of the federationapi, as one list. */
import type { AnyRoute } from '../../internal/httputil/route.js';
import { keyQueryRoutes } from './key-query.js';
import type { KeyRoutesDeps } from './key-routes-deps.js';
import { keyServerRoutes } from './key-server.js';
import { queryDirectoryRoutes } from './query-directory.js';
import { queryProfileRoutes } from './query-profile.js';
import type { QueryRoutesDeps } from './query-routes-deps.js';
import { versionRoutes } from './version.js';

export type { KeyRoutesDeps, QueryRoutesDeps };

/** What all the routes need. */
export type FederationapiRouteDeps = KeyRoutesDeps & QueryRoutesDeps;

/** The key routes, the version route and the query routes. */
export function federationapiRoutes(deps: FederationapiRouteDeps): AnyRoute[] {
  return [...keyServerRoutes(deps), ...keyQueryRoutes(deps), ...versionRoutes(), ...queryProfileRoutes(deps), ...queryDirectoryRoutes(deps)];
}
