/**
 * Synapse's registration-token admin API (`/_synapse/admin/v1/registration_tokens`), so admin
 * tools written for Synapse manage Axon's tokens too: list (optionally only valid or invalid
 * ones), create, read, update and delete. Server admins only.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientUserAPI, RegistrationToken } from '../../userapi/api.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const BASE = '/_synapse/admin/v1/registration_tokens';

/** The spec's token grammar: opaque identifier characters, at most 64 of them. */
const TOKEN = /^[A-Za-z0-9._~-]{1,64}$/;

const UsesAllowed = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);
const ExpiryTime = Type.Union([Type.Integer(), Type.Null()]);
const TokenParams = Type.Object({ token: Type.String() });

/** A token as Synapse's API shows it. */
export function tokenJson(t: RegistrationToken): Record<string, unknown> {
  return { token: t.token, uses_allowed: t.usesAllowed, pending: t.pending, completed: t.completed, expiry_time: t.expiryTime };
}

function checkExpiry(expiry: number | null | undefined): void {
  if (typeof expiry === 'number' && expiry < Date.now()) throw MatrixError.invalidParam('expiry_time must not be in the past');
}

function notFound(token: string): MatrixError {
  return MatrixError.notFound(`No such registration token: ${token}`);
}

/** `GET …/registration_tokens[?valid=true|false]`. */
function listTokens(api: ClientUserAPI): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: BASE,
    auth: 'admin',
    rateLimit: 'none',
    schema: { query: Type.Object({ valid: Type.Optional(Type.Boolean()) }) },
    handler: async ({ query }) => {
      const { tokens } = await api.queryRegistrationTokens({ valid: query.valid });
      return { registration_tokens: tokens.map(tokenJson) };
    },
  });
}

/** `POST …/registration_tokens/new`: a given token, or a random one of `length` (16) characters. */
function createToken(api: ClientUserAPI): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: `${BASE}/new`,
    auth: 'admin',
    rateLimit: 'none',
    schema: {
      body: Type.Object({
        token: Type.Optional(Type.String()),
        length: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
        uses_allowed: Type.Optional(UsesAllowed),
        expiry_time: Type.Optional(ExpiryTime),
      }),
    },
    handler: async ({ body }) => {
      if (body.token !== undefined) {
        if (!TOKEN.test(body.token)) {
          throw MatrixError.invalidParam('token must be 1 to 64 characters matched by the regex [A-Za-z0-9._~-]');
        }
        const { token: existing } = await api.queryRegistrationToken({ token: body.token });
        if (existing) throw MatrixError.invalidParam(`Token already exists: ${body.token}`);
      }
      checkExpiry(body.expiry_time);
      const { token } = await api.performRegistrationTokenCreate({
        token: body.token,
        length: body.token === undefined ? (body.length ?? 16) : undefined,
        usesAllowed: body.uses_allowed ?? null,
        expiryTime: body.expiry_time ?? null,
      });
      return tokenJson(token);
    },
  });
}

/** `GET`, `PUT` and `DELETE …/registration_tokens/{token}`; 404 for unknown tokens. */
function tokenRoutes(api: ClientUserAPI): AnyRoute[] {
  const path = `${BASE}/:token`;
  return [
    defineRoute({
      method: 'GET',
      path,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: TokenParams },
      handler: async ({ params }) => {
        const { token } = await api.queryRegistrationToken({ token: params.token });
        if (!token) throw notFound(params.token);
        return tokenJson(token);
      },
    }),
    defineRoute({
      method: 'PUT',
      path,
      auth: 'admin',
      rateLimit: 'none',
      schema: {
        params: TokenParams,
        body: Type.Object({ uses_allowed: Type.Optional(UsesAllowed), expiry_time: Type.Optional(ExpiryTime) }),
      },
      handler: async ({ params, body }) => {
        checkExpiry(body.expiry_time);
        const update = { token: params.token, usesAllowed: body.uses_allowed, expiryTime: body.expiry_time };
        const { token } = await api.performRegistrationTokenUpdate(update);
        if (!token) throw notFound(params.token);
        return tokenJson(token);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: TokenParams },
      handler: async ({ params }) => {
        const { found } = await api.performRegistrationTokenDelete({ token: params.token });
        if (!found) throw notFound(params.token);
        return {};
      },
    }),
  ];
}

export function adminRegistrationTokens(deps: ClientRouteDeps): AnyRoute[] {
  return [listTokens(deps.userApi), createToken(deps.userApi), ...tokenRoutes(deps.userApi)];
}
