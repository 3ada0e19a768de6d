/**
 * Session keys in a server-side backup (`/room_keys/keys[/{roomId}[/{sessionId}]]`): store, read
 * and delete, for every room, one room, or one session. `version` is a required query parameter
 * on every call (M_MISSING_PARAM without it); writes go to the current version only (403
 * M_WRONG_ROOM_KEYS_VERSION naming it), reads and deletes to any live version.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { KeyBackupRooms } from '../../userapi/api.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { checkKeyIds, fromWire, KeyBackupData, RoomKeyBackup, RoomsKeyBackup, roomsToWire, sessionsFromWire, sessionsToWire, toWire } from './room-keys-data.js';
import { backupOwner } from './room-keys-version.js';

const PATH = '/_matrix/client/v3/room_keys/keys';
const VersionQuery = Type.Object({ version: Type.String() });
const RoomParams = Type.Object({ roomId: Type.String() });
const SessionParams = Type.Object({ roomId: Type.String(), sessionId: Type.String() });

/** The `/room_keys/keys` routes of the three scopes: every room, one room, one session. */
export function roomKeysKeysRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const api = deps.userApi;
  const query = async (userId: string, version: string, roomId?: string, sessionId?: string): Promise<KeyBackupRooms> => {
    const { rooms } = await api.queryKeyBackupKeys({ userId, version, roomId, sessionId });
    if (!rooms) throw MatrixError.notFound('Unknown backup version');
    return rooms;
  };
  return [
    // ---- every room
    defineRoute({
      method: 'PUT',
      path: PATH,
      auth: 'user',
      rateLimit: 'default',
      schema: { query: VersionQuery, body: RoomsKeyBackup },
      handler: async ({ query: q, body, requester }) => {
        const rooms = Object.fromEntries(
          Object.entries(body.rooms).map(([roomId, room]) => {
            checkKeyIds(roomId, undefined, 'body');
            return [roomId, sessionsFromWire(roomId, room.sessions)];
          }),
        );
        return api.performKeyBackupKeysUpload({ userId: backupOwner(requester), version: q.version, rooms });
      },
    }),
    defineRoute({
      method: 'GET',
      path: PATH,
      auth: 'user',
      rateLimit: 'default',
      schema: { query: VersionQuery },
      handler: async ({ query: q, requester }) => ({ rooms: roomsToWire(await query(backupOwner(requester), q.version)) }),
    }),
    defineRoute({
      method: 'DELETE',
      path: PATH,
      auth: 'user',
      rateLimit: 'default',
      schema: { query: VersionQuery },
      handler: async ({ query: q, requester }) => api.performKeyBackupKeysDelete({ userId: backupOwner(requester), version: q.version }),
    }),
    // ---- one room
    defineRoute({
      method: 'PUT',
      path: `${PATH}/:roomId`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RoomParams, query: VersionQuery, body: RoomKeyBackup },
      handler: async ({ params, query: q, body, requester }) => {
        checkKeyIds(params.roomId, undefined, 'path');
        const rooms = { [params.roomId]: sessionsFromWire(params.roomId, body.sessions) };
        return api.performKeyBackupKeysUpload({ userId: backupOwner(requester), version: q.version, rooms });
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${PATH}/:roomId`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RoomParams, query: VersionQuery },
      handler: async ({ params, query: q, requester }) => {
        checkKeyIds(params.roomId, undefined, 'path');
        const rooms = await query(backupOwner(requester), q.version, params.roomId);
        return { sessions: sessionsToWire(rooms[params.roomId]) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: `${PATH}/:roomId`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RoomParams, query: VersionQuery },
      handler: async ({ params, query: q, requester }) => {
        checkKeyIds(params.roomId, undefined, 'path');
        return api.performKeyBackupKeysDelete({ userId: backupOwner(requester), version: q.version, roomId: params.roomId });
      },
    }),
    // ---- one session
    defineRoute({
      method: 'PUT',
      path: `${PATH}/:roomId/:sessionId`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: SessionParams, query: VersionQuery, body: KeyBackupData },
      handler: async ({ params, query: q, body, requester }) => {
        checkKeyIds(params.roomId, params.sessionId, 'path');
        const rooms = { [params.roomId]: Object.fromEntries([[params.sessionId, fromWire(body)]]) };
        return api.performKeyBackupKeysUpload({ userId: backupOwner(requester), version: q.version, rooms });
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${PATH}/:roomId/:sessionId`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: SessionParams, query: VersionQuery },
      handler: async ({ params, query: q, requester }) => {
        checkKeyIds(params.roomId, params.sessionId, 'path');
        const rooms = await query(backupOwner(requester), q.version, params.roomId, params.sessionId);
        const key = rooms[params.roomId]?.[params.sessionId];
        if (!key) throw MatrixError.notFound('Key not found');
        return toWire(key);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: `${PATH}/:roomId/:sessionId`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: SessionParams, query: VersionQuery },
      handler: async ({ params, query: q, requester }) => {
        checkKeyIds(params.roomId, params.sessionId, 'path');
        return api.performKeyBackupKeysDelete({
          userId: backupOwner(requester),
          version: q.version,
          roomId: params.roomId,
          sessionId: params.sessionId,
        });
      },
    }),
  ];
}
