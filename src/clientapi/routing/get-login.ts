/**
 * `GET /login`: the login types this server accepts. `get_login_token` tells unauthenticated
 * clients that `POST /login/get_token` exists (spec v1.7).
 */
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';

export function getLogin(): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v3/login',
    auth: 'none',
    rateLimit: 'default',
    schema: {},
    handler: async () => ({ flows: [{ type: 'm.login.password' }, { type: 'm.login.token', get_login_token: true }] }),
  });
}
