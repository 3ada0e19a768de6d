/**
 * `POST /account/deactivate` after UIA: the account can no longer log in, all its devices go,
 * and with `erase` its profile is cleared. Then the user leaves every room they are in, rejects
 * their invites and rescinds their knocks (spec: a deactivated user leaves their rooms); a room
 * where that fails is logged by the roomserver and does not fail the request, since the account
 * is already gone. No identity server is ever contacted, hence `id_server_unbind_result: "no-support"`.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { finishUserInteractiveAuth } from '../auth/run-user-interactive-auth.js';
import type { ClientRouteDeps } from './client-route-deps.js';
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
      await deps.userApi.performAccountDeactivation({ userId, erase: ctx.body.erase === true });
      await finishUserInteractiveAuth(deps.userApi, uia.session);
      try {
        await deps.roomserverApi.performLeaveAllRooms({ userId });
      } catch (e) {
        deps.logger.warn({ err: e, userId }, 'clientapi: a deactivated account could not leave its rooms');
      }
      return { id_server_unbind_result: 'no-support' };
    },
  });
}
