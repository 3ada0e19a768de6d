/**
 * Profiles (spec v1.16 custom fields included): read anyone's profile or one field of it, set
 * or delete fields of one's own. Field names are `displayname`, `avatar_url`, `m.tz` or a
 * namespaced custom name of at most 255 bytes; the userapi keeps the whole profile under 64 KiB.
 * Remote users' profiles need federation, which lands later: until then they are 404.
 * A changed or deleted `displayname`/`avatar_url` is then sent to the user's joined rooms as a
 * new member event (propagate-profile.ts).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import { byteLength } from '../../matrix/ids/id-result.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import type { ProfileFields } from '../../userapi/api.js';
import { forbidIfSuspended } from '../auth/forbid-if-suspended.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { MEMBER_PROFILE_FIELDS, propagateProfile } from './propagate-profile.js';

/** The spec's limit on a field name. */
export const MAX_PROFILE_KEY_BYTES = 255;

const KEY_NAME = /^(avatar_url|displayname|m\.tz|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$/;

const UserParams = Type.Object({ userId: Type.String() });
const FieldParams = Type.Object({ userId: Type.String(), keyName: Type.String() });

/** Checks the user ID in the path and whether it is local. */
function checkUserId(userId: string, serverName: string): { local: boolean } {
  const parsed = parseUserId(userId, { allowHistorical: true });
  if (!parsed.ok) throw MatrixError.invalidParam(`Invalid user ID: ${parsed.reason}`);
  return { local: parsed.value.serverName === serverName };
}

function remoteNotFound(): MatrixError {
  return MatrixError.notFound('Profiles of users on other servers are not available yet (no federation)');
}

/** Checks a field name: M_KEY_TOO_LARGE before M_INVALID_PARAM, so a long valid-looking name gets the precise error. */
function checkKeyName(key: string): void {
  if (byteLength(key) > MAX_PROFILE_KEY_BYTES) throw MatrixError.keyTooLarge(`Profile field names are at most ${MAX_PROFILE_KEY_BYTES} bytes`);
  if (!KEY_NAME.test(key)) throw MatrixError.invalidParam(`Invalid profile field name ${JSON.stringify(key)}`);
}

/**
 * Checks a value for its field: the spec types displayname, avatar_url and m.tz as strings.
 * null is accepted (the spec lets servers store it); for the two classic fields it clears
 * them, as their legacy endpoints did. Lengths and the 64 KiB total are the userapi's checks.
 */
function checkValue(key: string, value: unknown): void {
  if (value === undefined) throw MatrixError.missingParam(`Missing field '${key}'`);
  if (value === null) return;
  if ((key === 'displayname' || key === 'avatar_url' || key === 'm.tz') && typeof value !== 'string') {
    throw MatrixError.badJson(`'${key}' must be a string`);
  }
  // "" is how many clients clear their avatar.
  if (key === 'avatar_url' && value !== '' && !(value as string).startsWith('mxc://')) {
    throw MatrixError.badJson("'avatar_url' must be an mxc:// URI");
  }
}

/** Only one's own profile may change, and guests may change only their display name (spec, guest access). */
function requireSelf(requester: Requester | undefined, userId: string, keyName: string): void {
  if (requester?.userId !== userId) throw MatrixError.forbidden("You cannot change another user's profile");
  if (requester.isGuest && keyName !== 'displayname') throw MatrixError.guestAccessForbidden('Guests may change only their display name');
  forbidIfSuspended(requester);
}

export function profileRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const api = deps.userApi;
  const serverName = deps.config.server_name;
  // Presence is not touched: our m.presence events carry no displayname/avatar_url to update.
  const afterUpdate = async (userId: string, field: string, profile: ProfileFields): Promise<void> => {
    if (MEMBER_PROFILE_FIELDS.includes(field)) await propagateProfile(deps, userId, profile);
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/profile/:userId',
      auth: 'none',
      rateLimit: 'default',
      schema: { params: UserParams },
      handler: async ({ params }) => {
        if (!checkUserId(params.userId, serverName).local) throw remoteNotFound();
        const { found, profile } = await api.queryProfile({ userId: params.userId });
        if (!found) throw MatrixError.notFound('Profile not found');
        return profile;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/profile/:userId/:keyName',
      auth: 'none',
      rateLimit: 'default',
      schema: { params: FieldParams },
      handler: async ({ params }) => {
        checkKeyName(params.keyName);
        if (!checkUserId(params.userId, serverName).local) throw remoteNotFound();
        const { found, profile } = await api.queryProfile({ userId: params.userId });
        if (!found) throw MatrixError.notFound('Profile not found');
        const value = Object.hasOwn(profile, params.keyName) ? profile[params.keyName] : undefined;
        if (value === undefined) throw MatrixError.notFound(`The user has no profile field ${params.keyName}`);
        return { [params.keyName]: value };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/client/v3/profile/:userId/:keyName',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: FieldParams, body: Type.Object({}, { minProperties: 1 }) },
      handler: async ({ params, body, requester }) => {
        const { userId, keyName } = params;
        checkKeyName(keyName);
        checkUserId(userId, serverName);
        requireSelf(requester, userId, keyName);
        const value = Object.hasOwn(body, keyName) ? (body as Record<string, unknown>)[keyName] : undefined;
        checkValue(keyName, value);
        const { profile } = await api.performProfileUpdate({ userId, field: keyName, value });
        await afterUpdate(userId, keyName, profile);
        return {};
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/_matrix/client/v3/profile/:userId/:keyName',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: FieldParams },
      handler: async ({ params, requester }) => {
        checkKeyName(params.keyName);
        checkUserId(params.userId, serverName);
        requireSelf(requester, params.userId, params.keyName);
        const { profile } = await api.performProfileUpdate({ userId: params.userId, field: params.keyName, value: null, remove: true });
        await afterUpdate(params.userId, params.keyName, profile);
        return {};
      },
    }),
  ];
}
