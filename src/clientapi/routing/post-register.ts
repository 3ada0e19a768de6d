/**
 * `POST /register`: guest accounts (`kind=guest`, no UIA) and user accounts behind UIA
 * (`m.login.dummy`, or `m.login.registration_token` when tokens are required: the stage reserves
 * one use, success completes it). Username problems are reported before UIA starts, as the spec
 * requires, and once more after it in case someone took the name meanwhile.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientUserAPI } from '../../userapi/api.js';
import { finishUserInteractiveAuth } from '../auth/run-user-interactive-auth.js';
import type { UiaFlow } from '../auth/uia-flows.js';
import { REGISTRATION_TOKEN_PARAM } from '../auth/uia-stages.js';
import { checkNewUsername, generateLocalpart, type CheckedUsername } from './check-new-username.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { runRouteUia } from './route-uia.js';
import { sessionResponse } from './session-response.js';

/** Longest password accepted: hashing is deliberately slow, so unbounded input is a DoS. */
export const MAX_PASSWORD_LENGTH = 512;

const Body = Type.Object({
  auth: Type.Optional(Type.Unknown()),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String({ maxLength: MAX_PASSWORD_LENGTH })),
  device_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  initial_device_display_name: Type.Optional(Type.String({ maxLength: 1024 })),
  inhibit_login: Type.Optional(Type.Boolean()),
  refresh_token: Type.Optional(Type.Boolean()),
});

export function postRegister(deps: ClientRouteDeps): AnyRoute {
  const { config, userApi } = deps;
  const flows: readonly UiaFlow[] = config.registration.requires_token ? [['m.login.registration_token']] : [['m.login.dummy']];
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/register',
    auth: 'none',
    rateLimit: 'register',
    schema: {
      query: Type.Object({ kind: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('guest')])) }),
      body: Body,
    },
    handler: async (ctx) => {
      const { body, query } = ctx;
      const device = { ip: ctx.ip, userAgent: ctx.request.headers['user-agent'] };
      if (query.kind === 'guest') {
        if (!config.registration.guests) throw MatrixError.forbidden('Guest access is disabled on this server');
        const { userId, localpart } = await generateLocalpart(deps);
        await userApi.performAccountCreation({ localpart, accountType: 'guest' });
        // Guests get no choice of device ID (spec): everything but the display name is ignored.
        const { session } = await userApi.performDeviceCreation({ userId, displayName: body.initial_device_display_name, ...device });
        return sessionResponse(session, config.server_name);
      }
      if (!config.registration.enabled) throw MatrixError.forbidden('Registration is disabled on this server');
      // Application services register with `m.login.application_service` and their as_token;
      // that path belongs here once the appservice component lands.
      if (body.username !== undefined) await checkNewUsername(deps, body.username);

      const uia = await runRouteUia(deps, ctx, flows);
      if (uia.kind === 'challenge') return uia.response;
      if (body.password === undefined) throw MatrixError.missingParam("Missing field 'password'");
      const name: CheckedUsername = body.username !== undefined ? await checkNewUsername(deps, body.username) : await generateLocalpart(deps);
      await userApi.performAccountCreation({ localpart: name.localpart, password: body.password, accountType: 'user' });
      await completeToken(userApi, uia.session.params[REGISTRATION_TOKEN_PARAM], uia.session.sessionId);
      await finishUserInteractiveAuth(userApi, uia.session);
      if (body.inhibit_login === true) return { user_id: name.userId, home_server: config.server_name };
      const { session } = await userApi.performDeviceCreation({
        userId: name.userId,
        deviceId: body.device_id,
        displayName: body.initial_device_display_name,
        refreshToken: body.refresh_token === true,
        ...device,
      });
      return sessionResponse(session, config.server_name);
    },
  });
}

async function completeToken(userApi: ClientUserAPI, token: unknown, sessionId: string): Promise<void> {
  if (typeof token === 'string') await userApi.performRegistrationTokenComplete({ token, sessionId });
}
