/**
 * `POST /account/deactivate` after UIA: `deactivate-account.ts` (no more logins, devices gone,
 * with `erase` the profile cleared, every room left). No identity server is ever contacted,
 * hence `id_server_unbind_result: "no-support"`.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { finishUserInteractiveAuth } from '../auth/run-user-interactive-auth.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { deactivateAccount } from './deactivate-account.js';
import { PASSWORD_FLOWS, runRouteUia } from './route-uia.js';

export function postAccountDeactivate(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/account/deactivate',
    auth: 'user',
    rateLimit: 'default',
    schema: {
      body: Type.Object({
        auth: Type.Optional(Type.Unknown()),
        id_server: Type.Optional(Type.String()),
        erase: Type.Optional(Type.Boolean()),
      }),
    },
    handler: async (ctx) => {
      const uia = await runRouteUia(deps, ctx, PASSWORD_FLOWS);
      if (uia.kind === 'challenge') return uia.response;
      const userId = ctx.requester!.userId;
      await deactivateAccount(deps, userId, ctx.body.erase === true);
      await finishUserInteractiveAuth(deps.userApi, uia.session);
      return { id_server_unbind_result: 'no-support' };
    },
  });
}
