/**
 * `POST /_matrix/client/v3/user/{userId}/openid/request_token`: a token the user hands to a third
 * party (an integration manager, a widget) so that it can learn who the user is, and nothing
 * more, from `GET /_matrix/federation/v1/openid/userinfo` on this server. Only for oneself: a
 * user ID other than the requester's is 403 M_FORBIDDEN (appservices masquerade as the user).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** The route. */
export function openIdRequestTokenRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/user/:userId/openid/request_token',
      auth: 'user',
      rateLimit: 'default',
      // The body is an empty object "reserved for future expansion": anything in it is ignored.
      schema: { params: Type.Object({ userId: Type.String() }), body: Type.Object({}) },
      handler: async ({ params, requester }) => {
        if (params.userId !== requester!.userId) throw MatrixError.forbidden('You may only request OpenID tokens for yourself');
        const { token, expiresInMs } = await deps.userApi.performOpenIdTokenCreation({ userId: params.userId });
        return {
          access_token: token,
          token_type: 'Bearer',
          matrix_server_name: deps.config.server_name,
          expires_in: Math.floor(expiresInMs / 1000),
        };
      },
    }),
  ];
}
