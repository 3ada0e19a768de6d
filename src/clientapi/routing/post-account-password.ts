/**
 * `POST /account/password`: a new password after UIA (`m.login.password` with the old one).
 * Other devices are logged out unless `logout_devices: false`; the requesting device never is
 * (spec: the server SHOULD NOT revoke the token of the request).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { finishUserInteractiveAuth } from '../auth/run-user-interactive-auth.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { MAX_PASSWORD_LENGTH } from './post-register.js';
import { PASSWORD_FLOWS, runRouteUia } from './route-uia.js';

export function postAccountPassword(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/account/password',
    auth: 'user',
    rateLimit: 'default',
    schema: {
      body: Type.Object({
        new_password: Type.String({ maxLength: MAX_PASSWORD_LENGTH }),
        logout_devices: Type.Optional(Type.Boolean()),
        auth: Type.Optional(Type.Unknown()),
      }),
    },
    handler: async (ctx) => {
      const uia = await runRouteUia(deps, ctx, PASSWORD_FLOWS);
      if (uia.kind === 'challenge') return uia.response;
      const { userId, deviceId } = ctx.requester!;
      await deps.userApi.performPasswordUpdate({
        userId,
        newPassword: ctx.body.new_password,
        logoutDevices: ctx.body.logout_devices !== false,
        keepDeviceId: deviceId,
      });
      await finishUserInteractiveAuth(deps.userApi, uia.session);
      return {};
    },
  });
}
