/**
 * `POST /login` with `m.login.password` or `m.login.token`. Every attempt counts against the
 * client's IP (rate-limit class `login`); failed password attempts also count against the user
 * named, so guessing one account's password from many addresses is limited too.
 */
import Type, { type Static } from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { FailedLoginLimiter } from '../auth/failed-login-limiter.js';
import { resolveLoginUser } from '../auth/resolve-login-user.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { MAX_PASSWORD_LENGTH } from './post-register.js';
import { sessionResponse } from './session-response.js';

const Body = Type.Object({
  type: Type.String(),
  identifier: Type.Optional(Type.Unknown()),
  user: Type.Optional(Type.String()),
  medium: Type.Optional(Type.String()),
  address: Type.Optional(Type.String()),
  password: Type.Optional(Type.String({ maxLength: MAX_PASSWORD_LENGTH })),
  token: Type.Optional(Type.String()),
  device_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  initial_device_display_name: Type.Optional(Type.String({ maxLength: 1024 })),
  refresh_token: Type.Optional(Type.Boolean()),
});
type LoginBody = Static<typeof Body>;

export function postLogin(deps: ClientRouteDeps): AnyRoute {
  const { failedLogins } = deps;
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/login',
    auth: 'none',
    rateLimit: 'login',
    schema: { body: Body },
    handler: async ({ body, ip, request }) => {
      let userId: string;
      switch (body.type) {
        case 'm.login.password':
          userId = await passwordLogin(deps, failedLogins, body);
          break;
        case 'm.login.token':
          userId = await tokenLogin(deps, body);
          break;
        default:
          // `m.login.application_service` joins here with the appservice component.
          throw MatrixError.unknown(`Unknown login type ${body.type}`);
      }
      const { session } = await deps.userApi.performDeviceCreation({
        userId,
        deviceId: body.device_id,
        displayName: body.initial_device_display_name,
        ip,
        userAgent: request.headers['user-agent'],
        refreshToken: body.refresh_token === true,
      });
      return sessionResponse(session, deps.config.server_name);
    },
  });
}

async function passwordLogin(deps: ClientRouteDeps, failedLogins: FailedLoginLimiter, body: LoginBody): Promise<string> {
  const userId = resolveLoginUser(body, deps.config.server_name);
  if (body.password === undefined) throw MatrixError.missingParam("Missing field 'password'");
  failedLogins.check(userId);
  const { ok } = await deps.userApi.queryPasswordCheck({ userId, password: body.password });
  if (!ok) {
    failedLogins.recordFailure(userId);
    // A deactivated account has no usable password; say so rather than "wrong password".
    const { account } = await deps.userApi.queryAccount({ userId });
    if (account?.deactivated) throw MatrixError.userDeactivated();
    throw MatrixError.forbidden('Invalid username or password');
  }
  return userId;
}

async function tokenLogin(deps: ClientRouteDeps, body: LoginBody): Promise<string> {
  if (body.token === undefined) throw MatrixError.missingParam("Missing field 'token'");
  const { userId } = await deps.userApi.performLoginTokenRedemption({ token: body.token });
  if (userId === null) throw MatrixError.forbidden('Invalid or expired login token');
  const { account } = await deps.userApi.queryAccount({ userId });
  if (!account) throw MatrixError.forbidden('Invalid or expired login token');
  if (account.deactivated) throw MatrixError.userDeactivated();
  return userId;
}
