/**
 * The spec's account moderation endpoints (v1.18): `GET`/`PUT /_matrix/client/v1/admin/lock/{userId}`
 * and `…/admin/suspend/{userId}`. Server admins only; local users only.
 *
 * The spec orders the checks: authorisation comes before any account lookup, so that non-admins
 * cannot probe which accounts exist. Then: a remote user is 400 `M_INVALID_PARAM`; an admin
 * changing their own account, or any request about another admin, is 403 `M_FORBIDDEN`; an unknown
 * or deactivated user is 404 `M_NOT_FOUND`. What locking and suspension do is enforced elsewhere
 * (`auth/user-authenticator.ts`, `auth/forbid-if-suspended.ts`).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import type { Account, ClientUserAPI } from '../../userapi/api.js';
import { NOT_LOCAL_USER, requireLocalUserId } from './admin-user-common.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** The two moderation flags, each with its path segment and its field in bodies and answers. */
type Flag = 'locked' | 'suspended';
const SEGMENT: Readonly<Record<Flag, string>> = { locked: 'lock', suspended: 'suspend' };

const Params = Type.Object({ userId: Type.String() });

/**
 * The target's account after every check the spec asks for, in its order. `changing` is true
 * for `PUT`, where the admin's own account is refused too.
 */
async function moderatedAccount(deps: ClientRouteDeps, requester: Requester, userId: string, changing: boolean): Promise<Account> {
  if (!requester.isAdmin) throw MatrixError.forbidden('Requesting user is not a server administrator');
  requireLocalUserId(userId, deps.config.server_name, NOT_LOCAL_USER());
  const self = userId === requester.userId;
  if (changing && self) throw MatrixError.forbidden('You cannot change the moderation status of your own account');
  const { account } = await deps.userApi.queryAccount({ userId });
  if (account === null || account.deactivated) throw MatrixError.notFound('User not found');
  if (account.isAdmin && !self) throw MatrixError.forbidden('The target user is a server administrator');
  return account;
}

async function setFlag(api: ClientUserAPI, flag: Flag, userId: string, value: boolean): Promise<boolean> {
  if (flag === 'locked') return (await api.performAccountLockUpdate({ userId, locked: value })).locked;
  return (await api.performAccountSuspensionUpdate({ userId, suspended: value })).suspended;
}

/** `GET` and `PUT` of one flag. */
function flagRoutes(deps: ClientRouteDeps, flag: Flag): AnyRoute[] {
  const path = `/_matrix/client/v1/admin/${SEGMENT[flag]}/:userId`;
  return [
    defineRoute({
      method: 'GET',
      path,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Params },
      handler: async ({ params, requester }) => {
        const account = await moderatedAccount(deps, requester!, params.userId, false);
        return { [flag]: account[flag] };
      },
    }),
    defineRoute({
      method: 'PUT',
      path,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Params, body: Type.Object({ [flag]: Type.Boolean() }) },
      handler: async ({ params, body, requester }) => {
        await moderatedAccount(deps, requester!, params.userId, true);
        const value = (body as Record<Flag, boolean>)[flag];
        return { [flag]: await setFlag(deps.userApi, flag, params.userId, value) };
      },
    }),
  ];
}

/** The four account moderation routes. */
export function adminAccountModerationRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [...flagRoutes(deps, 'locked'), ...flagRoutes(deps, 'suspended')];
}
