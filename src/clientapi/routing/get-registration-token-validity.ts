/**
 * `GET /v1/register/m.login.registration_token/validity`: whether a registration token could be
 * used now. Rate-limited like registration, since it is an oracle for guessing tokens.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';

export function getRegistrationTokenValidity(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v1/register/m.login.registration_token/validity',
    auth: 'none',
    rateLimit: 'register',
    schema: { query: Type.Object({ token: Type.String() }) },
    handler: async ({ query }) => {
      if (!deps.config.registration.enabled) throw MatrixError.forbidden('Registration is not enabled on this server');
      const { valid } = await deps.userApi.queryRegistrationTokenValidity({ token: query.token });
      return { valid };
    },
  });
}
