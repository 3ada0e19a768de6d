/**
 * `POST /v1/login/get_token`: a single-use `m.login.token` for signing in another client as the
 * requester. The spec requires a fresh UIA every time (explicit consent per new client), which
 * holds because a session is deleted once spent.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { finishUserInteractiveAuth } from '../auth/run-user-interactive-auth.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { PASSWORD_FLOWS, runRouteUia } from './route-uia.js';

/** The lifetime the spec recommends. */
export const LOGIN_TOKEN_LIFETIME_MS = 120_000;

export function postLoginGetToken(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v1/login/get_token',
    auth: 'user',
    rateLimit: 'login',
    schema: { body: Type.Object({ auth: Type.Optional(Type.Unknown()) }) },
    handler: async (ctx) => {
      const uia = await runRouteUia(deps, ctx, PASSWORD_FLOWS);
      if (uia.kind === 'challenge') return uia.response;
      const userId = ctx.requester!.userId;
      const { token, expiresInMs } = await deps.userApi.performLoginTokenCreation({ userId, lifetimeMs: LOGIN_TOKEN_LIFETIME_MS });
      await finishUserInteractiveAuth(deps.userApi, uia.session);
      return { login_token: token, expires_in_ms: expiresInMs };
    },
  });
}
