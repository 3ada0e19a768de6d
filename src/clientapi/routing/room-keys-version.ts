/**
 * Server-side key backup versions (`/room_keys/version`): create, read (current or by number),
 * update `auth_data`, delete. A user only ever sees their own backups: every call is scoped to
 * the requester, so another user's version number simply names nothing (404).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import type { KeyBackupVersion } from '../../userapi/api.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const PATH = '/_matrix/client/v3/room_keys/version';
const VersionParams = Type.Object({ version: Type.String() });
const AuthData = Type.Record(Type.String(), Type.Unknown());
const CreateBody = Type.Object({ algorithm: Type.String({ minLength: 1 }), auth_data: AuthData });
const UpdateBody = Type.Object({ algorithm: Type.String({ minLength: 1 }), auth_data: AuthData, version: Type.Optional(Type.String()) });

/** The requester's user ID (the routes are `auth: 'user'`, so there is one). */
export function backupOwner(requester: Requester | undefined): string {
  if (!requester) throw MatrixError.missingToken();
  return requester.userId;
}

function versionBody(b: KeyBackupVersion): Record<string, unknown> {
  return { version: b.version, algorithm: b.algorithm, auth_data: b.authData, etag: b.etag, count: b.count };
}

/** The `/room_keys/version` routes: create, read current, read, update, delete. */
export function roomKeysVersionRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const api = deps.userApi;
  /** Version `version` of the requester's backup, or their current one when undefined. */
  const read = async (requester: Requester | undefined, version?: string): Promise<Record<string, unknown>> => {
    const { backup } = await api.queryKeyBackupVersion({ userId: backupOwner(requester), ...(version !== undefined ? { version } : {}) });
    if (!backup) throw MatrixError.notFound(version === undefined ? 'No current backup version' : 'Unknown backup version');
    return versionBody(backup);
  };
  return [
    defineRoute({
      method: 'POST',
      path: PATH,
      auth: 'user',
      rateLimit: 'default',
      schema: { body: CreateBody },
      handler: async ({ body, requester }) =>
        api.performKeyBackupVersionCreate({ userId: backupOwner(requester), algorithm: body.algorithm, authData: body.auth_data }),
    }),
    defineRoute({
      method: 'GET',
      path: PATH,
      auth: 'user',
      rateLimit: 'default',
      schema: {},
      handler: async ({ requester }) => read(requester),
    }),
    defineRoute({
      method: 'GET',
      path: `${PATH}/:version`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: VersionParams },
      handler: async ({ params, requester }) => read(requester, params.version),
    }),
    defineRoute({
      method: 'PUT',
      path: `${PATH}/:version`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: VersionParams, body: UpdateBody },
      handler: async ({ params, body, requester }) => {
        if (body.version !== undefined && body.version !== params.version) {
          throw MatrixError.invalidParam('The version in the body does not match the version in the path');
        }
        return api.performKeyBackupVersionUpdate({
          userId: backupOwner(requester),
          version: params.version,
          algorithm: body.algorithm,
          authData: body.auth_data,
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: `${PATH}/:version`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: VersionParams },
      handler: async ({ params, requester }) => api.performKeyBackupVersionDelete({ userId: backupOwner(requester), version: params.version }),
    }),
  ];
}
