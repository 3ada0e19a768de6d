/** Every public route of the federationapi, as one list. */
import type { AnyRoute } from '../../internal/httputil/route.js';
import { keyQueryRoutes } from './key-query.js';
import type { KeyRoutesDeps } from './key-routes-deps.js';
import { keyServerRoutes } from './key-server.js';
import { versionRoutes } from './version.js';

export type { KeyRoutesDeps };

/** The key routes and the version route. */
export function federationapiRoutes(deps: KeyRoutesDeps): AnyRoute[] {
  return [...keyServerRoutes(deps), ...keyQueryRoutes(deps), ...versionRoutes()];
}
