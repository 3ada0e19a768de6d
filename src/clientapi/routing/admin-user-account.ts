/**
 * `GET` and `PUT /_synapse/admin/v2/users/{userId}`: read one local account, or create (201) or
 * modify (200) it, answering with the user object Synapse does (`admin-user-common.ts`).
 *
 * A modification applies the fields present in Synapse's order: display name, avatar, admin flag,
 * password, deactivation or re-activation (this one before the password), lock. A re-activated
 * account has no password, devices or account data (deactivation deleted them) until given one.
 * Everything that can refuse is checked before anything changes, so a refused request changes
 * nothing. Creation, like Synapse's, takes the password (optional:
 * an account without one cannot log in with a password), display name, avatar and admin flag,
 * and ignores `deactivated` and `locked`. Axon has no third-party IDs, SSO identities or user
 * types to set: `threepids`, `external_ids` and `user_type` are ignored, as unknown fields are.
 */
import Type, { type Static } from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, jsonResponse, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import type { Account } from '../../userapi/api.js';
import { adminUserJson, requireLocalUserId, setProfileField } from './admin-user-common.js';
import { deactivateAccount } from './deactivate-account.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const PATH = '/_synapse/admin/v2/users/:userId';
const Params = Type.Object({ userId: Type.String() });

const Body = Type.Object({
  password: Type.Optional(Type.String({ maxLength: 512 })),
  logout_devices: Type.Optional(Type.Boolean()),
  displayname: Type.Optional(Type.String()),
  avatar_url: Type.Optional(Type.String()),
  admin: Type.Optional(Type.Boolean()),
  deactivated: Type.Optional(Type.Boolean()),
  locked: Type.Optional(Type.Boolean()),
});
type AccountChanges = Static<typeof Body>;

/** The refusals of a modification, all before any change. */
function checkChanges(requester: Requester, account: Account, body: AccountChanges): void {
  if (body.admin === false && account.isAdmin && account.userId === requester.userId) {
    throw MatrixError.unknown('You may not demote yourself.');
  }
  // Synapse would store the hash of an account that stays deactivated; the userapi refuses that.
  if (account.deactivated && body.deactivated !== false && body.password !== undefined) {
    throw MatrixError.unknown('A deactivated account takes a password only when re-activated (deactivated: false)');
  }
}

async function modifyAccount(deps: ClientRouteDeps, account: Account, body: AccountChanges): Promise<void> {
  const api = deps.userApi;
  const userId = account.userId;
  if (body.displayname !== undefined) await setProfileField(deps, userId, 'displayname', body.displayname);
  if (body.avatar_url !== undefined) await setProfileField(deps, userId, 'avatar_url', body.avatar_url);
  if (body.admin !== undefined && body.admin !== account.isAdmin) await api.performAccountAdminUpdate({ userId, admin: body.admin });
  // Re-activated before the password is set: the userapi sets passwords of active accounts only.
  const reactivating = body.deactivated === false && account.deactivated;
  if (reactivating) await api.performAccountReactivation({ userId });
  if (body.password !== undefined) {
    await api.performPasswordUpdate({ userId, newPassword: body.password, logoutDevices: body.logout_devices ?? true });
  }
  const deactivating = body.deactivated === true && !account.deactivated;
  if (deactivating) await deactivateAccount(deps, userId, false);
  // A deactivated account keeps whatever lock it had: the userapi moderates active accounts only.
  const activeNow = account.deactivated ? reactivating : !deactivating;
  if (body.locked !== undefined && body.locked !== account.locked && activeNow) {
    await api.performAccountLockUpdate({ userId, locked: body.locked });
  }
}

async function createAccount(deps: ClientRouteDeps, userId: string, body: AccountChanges): Promise<void> {
  const localpart = userId.slice(1, userId.indexOf(':'));
  await deps.userApi.performAccountCreation({
    localpart,
    password: body.password,
    accountType: body.admin === true ? 'admin' : 'user',
    displayName: body.displayname,
  });
  if (body.avatar_url !== undefined && body.avatar_url !== '') await setProfileField(deps, userId, 'avatar_url', body.avatar_url);
}

/** The user object of an account that exists (it was just read or written). */
async function userJson(deps: ClientRouteDeps, userId: string): Promise<Record<string, unknown>> {
  const json = await adminUserJson(deps.userApi, userId);
  if (json === undefined) throw MatrixError.notFound('User not found');
  return json;
}

/** The two routes. */
export function adminUserAccountRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const serverName = deps.config.server_name;
  return [
    defineRoute({
      method: 'GET',
      path: PATH,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: Params },
      handler: async ({ params }) => {
        requireLocalUserId(params.userId, serverName, MatrixError.unknown('Can only look up local users'));
        return userJson(deps, params.userId);
      },
    }),
    defineRoute({
      method: 'PUT',
      path: PATH,
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: Params, body: Body },
      handler: async ({ params, body, requester }) => {
        const userId = params.userId;
        requireLocalUserId(userId, serverName, MatrixError.unknown('This endpoint can only be used with local users'));
        if (body.deactivated === true && body.locked === true) throw MatrixError.unknown("An user can't be deactivated and locked");
        if (body.avatar_url !== undefined && body.avatar_url !== '' && !body.avatar_url.startsWith('mxc://')) {
          throw MatrixError.invalidParam("'avatar_url' must be an mxc:// URI");
        }
        const { account } = await deps.userApi.queryAccount({ userId });
        if (account === null) {
          await createAccount(deps, userId, body);
          return jsonResponse(201, await userJson(deps, userId));
        }
        checkChanges(requester!, account, body);
        await modifyAccount(deps, account, body);
        return userJson(deps, userId);
      },
    }),
  ];
}
