/**
 * `POST /refresh`: new tokens for a refresh token. Authenticated by the refresh token itself,
 * never an access token; unknown or spent refresh tokens are M_UNKNOWN_TOKEN from the userapi.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';

export function postRefresh(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/refresh',
    auth: 'none',
    rateLimit: 'default',
    schema: { body: Type.Object({ refresh_token: Type.String() }) },
    handler: async ({ body }) => {
      const { session } = await deps.userApi.performTokenRefresh({ refreshToken: body.refresh_token });
      return {
        access_token: session.accessToken,
        ...(session.refreshToken !== null ? { refresh_token: session.refreshToken } : {}),
        ...(session.expiresInMs !== null ? { expires_in_ms: session.expiresInMs } : {}),
      };
    },
  });
}
