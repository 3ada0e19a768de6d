/**
 * `GET /_matrix/key/v2/server`: our current keys, signed by each of them, plus the old ones
 * events may still be signed with. Anyone may ask (it is how other servers learn our keys).
 */
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { buildOurServerKeys } from '../keyring/our-server-keys.js';
import type { KeyRoutesDeps } from './key-routes-deps.js';

/** The route. */
export function keyServerRoutes(deps: KeyRoutesDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/key/v2/server',
      auth: 'none',
      // Cheap, and every server we federate with needs it; limiting it would only hurt them.
      rateLimit: 'none',
      schema: {},
      handler: async () => buildOurServerKeys(deps.serverName, deps.ourKeys, deps.now()),
    }),
  ];
}
