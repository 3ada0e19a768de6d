/**
 * `GET /_matrix/federation/v1/openid/userinfo?access_token=…`: who an OpenID token (from the
 * client `POST /user/{userId}/openid/request_token`) was issued to, as `{sub}`. The caller is
 * usually a third-party service, not a homeserver, so the request is not X-Matrix signed: the
 * token itself is the credential. Unknown and expired tokens are 401 M_UNKNOWN_TOKEN.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { DirectoryRoutesDeps } from './directory-routes-deps.js';

/** The route. */
export function openIdUserinfoRoutes(deps: Pick<DirectoryRoutesDeps, 'userApi'>): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/openid/userinfo',
      auth: 'none',
      rateLimit: 'default',
      schema: { query: Type.Object({ access_token: Type.String() }) },
      handler: async ({ query }) => {
        const { userId } = await deps.userApi.queryOpenIdToken({ token: query.access_token });
        if (userId === null) throw MatrixError.unknownToken('Access token unknown or expired');
        return { sub: userId };
      },
    }),
  ];
}
