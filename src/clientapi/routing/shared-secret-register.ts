/**
 * Synapse's shared-secret registration (`GET/POST /_synapse/admin/v1/register`), which admin
 * tools use to create the first accounts: GET hands out a single-use nonce (kept by the userapi,
 * so any clientapi instance can redeem it); POST creates the account when `mac` is the HMAC of
 * the request under `registration.shared_secret`. Works whether or not open registration is on.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { verifyRegistrationMac } from '../auth/shared-secret-mac.js';
import { checkNewUsername } from './check-new-username.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { MAX_PASSWORD_LENGTH } from './post-register.js';
import { sessionResponse } from './session-response.js';

/** How long a nonce may be redeemed (Synapse: 60 s). */
export const NONCE_LIFETIME_MS = 60_000;

/** Synapse's user types; accepted (they are part of the MAC) but not stored yet. */
const USER_TYPES = new Set(['support', 'bot']);

const PATH = '/_synapse/admin/v1/register';

const Body = Type.Object({
  nonce: Type.String(),
  username: Type.String({ maxLength: 512 }),
  password: Type.String({ maxLength: MAX_PASSWORD_LENGTH }),
  mac: Type.String(),
  admin: Type.Optional(Type.Boolean()),
  displayname: Type.Optional(Type.String({ maxLength: 256 })),
  user_type: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

export function sharedSecretRegister(deps: ClientRouteDeps): AnyRoute[] {
  const secret = deps.config.registration.shared_secret;
  const notEnabled = () => MatrixError.unknown('Shared secret registration is not enabled');
  return [
    defineRoute({
      method: 'GET',
      path: PATH,
      auth: 'none',
      rateLimit: 'register',
      schema: {},
      handler: async () => {
        if (secret === undefined) throw notEnabled();
        const { nonce } = await deps.userApi.performSharedSecretNonce({ lifetimeMs: NONCE_LIFETIME_MS });
        return { nonce };
      },
    }),
    defineRoute({
      method: 'POST',
      path: PATH,
      auth: 'none',
      rateLimit: 'register',
      schema: { body: Body },
      handler: async ({ body, ip, request }) => {
        if (secret === undefined) throw notEnabled();
        // The nonce is spent even when the rest of the request is wrong, so a MAC cannot be retried.
        const { ok } = await deps.userApi.performSharedSecretNonceUse({ nonce: body.nonce });
        if (!ok) throw MatrixError.unknown('Unrecognised nonce');
        if (body.username.includes('\u0000') || body.password.includes('\u0000')) throw MatrixError.unknown('Invalid username or password');
        const userType = body.user_type ?? undefined;
        if (userType !== undefined && !USER_TYPES.has(userType)) throw MatrixError.unknown('Invalid user type');
        const admin = body.admin === true;
        const fields = { nonce: body.nonce, username: body.username, password: body.password, admin, userType };
        if (!verifyRegistrationMac(secret, fields, body.mac)) throw MatrixError.forbidden('HMAC incorrect');

        const name = await checkNewUsername(deps, body.username);
        await deps.userApi.performAccountCreation({
          localpart: name.localpart,
          password: body.password,
          accountType: admin ? 'admin' : 'user',
          displayName: body.displayname,
        });
        const { session } = await deps.userApi.performDeviceCreation({ userId: name.userId, ip, userAgent: request.headers['user-agent'] });
        return sessionResponse(session, deps.config.server_name);
      },
    }),
  ];
}
