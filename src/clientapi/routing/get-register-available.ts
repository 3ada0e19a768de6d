/**
 * `GET /register/available`: whether `/register` would accept the username right now. Answers
 * 200 `{available: true}` or the error registration would give (invalid, exclusive, taken).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { checkNewUsername } from './check-new-username.js';
import type { ClientRouteDeps } from './client-route-deps.js';

export function getRegisterAvailable(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v3/register/available',
    auth: 'none',
    rateLimit: 'register',
    schema: { query: Type.Object({ username: Type.String() }) },
    handler: async ({ query }) => {
      if (!deps.config.registration.enabled) throw MatrixError.forbidden('Registration is disabled on this server');
      await checkNewUsername(deps, query.username);
      return { available: true };
    },
  });
}
