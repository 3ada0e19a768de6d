/**
 * Synapse's single-purpose user admin routes: `POST /_synapse/admin/v1/deactivate/{userId}`,
 * `POST …/v1/reset_password/{userId}` and `GET`/`PUT …/v1/users/{userId}/admin`. Server admins
 * only; answers, status codes and messages as Synapse's.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import { requireLocalUserId } from './admin-user-common.js';
import { deactivateAccount } from './deactivate-account.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const Params = Type.Object({ userId: Type.String() });
const NOT_LOCAL_ADMIN = 'Only local users can be admins of this homeserver';

/**
 * `POST …/deactivate/{userId}` (an empty body is fine). Axon never contacts identity servers, so
 * there is nothing to unbind: Synapse answers `success` then. `erase` clears the profile; Axon
 * keeps no erasure mark and does not hide the user's messages from later members.
 */
function deactivateRoute(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_synapse/admin/v1/deactivate/:userId',
    auth: 'admin',
    rateLimit: 'none',
    schema: { params: Params, body: Type.Object({ erase: Type.Optional(Type.Boolean()) }) },
    handler: async ({ params, body }) => {
      requireLocalUserId(params.userId, deps.config.server_name, MatrixError.unknown('Can only deactivate local users'));
      const { account } = await deps.userApi.queryAccount({ userId: params.userId });
      if (account === null) throw MatrixError.notFound('User not found');
      await deactivateAccount(deps, params.userId, body.erase === true);
      return { id_server_unbind_result: 'success' };
    },
  });
}

/**
 * `POST …/reset_password/{userId}`: logs out every device unless `logout_devices` is false.
 * Unknown and remote users are 404 (Synapse finds no account to update either); a deactivated
 * account is 403 `M_USER_DEACTIVATED`, since Axon cannot re-activate it to use the password.
 */
function resetPasswordRoute(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_synapse/admin/v1/reset_password/:userId',
    auth: 'admin',
    rateLimit: 'none',
    schema: {
      params: Params,
      body: Type.Object({ new_password: Type.String(), logout_devices: Type.Optional(Type.Boolean()) }),
    },
    handler: async ({ params, body }) => {
      const parsed = parseUserId(params.userId, { allowHistorical: true });
      if (!parsed.ok) throw MatrixError.invalidParam(`Invalid user ID: ${parsed.reason}`);
      await deps.userApi.performPasswordUpdate({
        userId: params.userId,
        newPassword: body.new_password,
        logoutDevices: body.logout_devices ?? true,
      });
      return {};
    },
  });
}

/** `GET` and `PUT …/users/{userId}/admin`; an admin may not demote themselves. */
function adminFlagRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const path = '/_synapse/admin/v1/users/:userId/admin';
  return [
    defineRoute({
      method: 'GET',
      path,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: Params },
      handler: async ({ params }) => {
        requireLocalUserId(params.userId, deps.config.server_name, MatrixError.unknown(NOT_LOCAL_ADMIN));
        const { account } = await deps.userApi.queryAccount({ userId: params.userId });
        if (account === null) throw MatrixError.notFound('User not found');
        return { admin: account.isAdmin };
      },
    }),
    defineRoute({
      method: 'PUT',
      path,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: Params, body: Type.Object({ admin: Type.Boolean() }) },
      handler: async ({ params, body, requester }) => {
        requireLocalUserId(params.userId, deps.config.server_name, MatrixError.unknown(NOT_LOCAL_ADMIN));
        if (params.userId === requester!.userId && !body.admin) throw MatrixError.unknown('You may not demote yourself.');
        await deps.userApi.performAccountAdminUpdate({ userId: params.userId, admin: body.admin });
        return {};
      },
    }),
  ];
}

/** The three routes of this file. */
export function adminUserActionRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [deactivateRoute(deps), resetPasswordRoute(deps), ...adminFlagRoutes(deps)];
}
