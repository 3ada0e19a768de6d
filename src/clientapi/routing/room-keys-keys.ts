/**
 * Session keys in a server-side backup (`/room_keys/keys[/{roomId}[/{sessionId}]]`): store, read
 * and delete, for every room, one room, or one session. `version` is a required query parameter
 * on every call (M_MISSING_PARAM without it); writes go to the current version only (403
 * M_WRONG_ROOM_KEYS_VERSION naming it), reads and deletes to any live version.
 *
 * The three scopes differ only in their path, their body's shape and the shape of a read's
 * answer ({@link KeyScope}); one set of PUT, GET and DELETE routes serves each.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { KeyBackupRooms } from '../../userapi/api.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { checkKeyIds, fromWire, KeyBackupData, RoomKeyBackup, RoomsKeyBackup, roomsToWire, sessionsFromWire, sessionsToWire, toWire } from './room-keys-data.js';
import { backupOwner } from './room-keys-version.js';

const PATH = '/_matrix/client/v3/room_keys/keys';
const VersionQuery = Type.Object({ version: Type.String() });
const NoParams = Type.Object({});
const RoomParams = Type.Object({ roomId: Type.String() });
const SessionParams = Type.Object({ roomId: Type.String(), sessionId: Type.String() });

/** The keys a route names: every room's (neither), one room's, or one session's. */
interface KeyTarget {
  readonly roomId?: string;
  readonly sessionId?: string;
}

/** How one scope's routes differ. */
interface KeyScope<P extends TSchema, B extends TSchema> {
  readonly path: string;
  readonly params: P;
  readonly body: B;
  /** The keys the path names, its IDs checked (M_INVALID_PARAM). */
  target(params: Static<P>): KeyTarget;
  /** The keys a PUT stores, in the userapi's form (body IDs checked: M_BAD_JSON). */
  upload(params: Static<P>, body: Static<B>): KeyBackupRooms;
  /** A GET's answer from the version's keys in scope (M_NOT_FOUND when a named session has none). */
  read(params: Static<P>, rooms: KeyBackupRooms): object;
}

const EVERY_ROOM: KeyScope<typeof NoParams, typeof RoomsKeyBackup> = {
  path: PATH,
  params: NoParams,
  body: RoomsKeyBackup,
  target: () => ({}),
  upload: (_params, body) =>
    Object.fromEntries(
      Object.entries(body.rooms).map(([roomId, room]) => {
        checkKeyIds(roomId, undefined, 'body');
        return [roomId, sessionsFromWire(roomId, room.sessions)];
      }),
    ),
  read: (_params, rooms) => ({ rooms: roomsToWire(rooms) }),
};

const ONE_ROOM: KeyScope<typeof RoomParams, typeof RoomKeyBackup> = {
  path: `${PATH}/:roomId`,
  params: RoomParams,
  body: RoomKeyBackup,
  target: ({ roomId }) => {
    checkKeyIds(roomId, undefined, 'path');
    return { roomId };
  },
  upload: ({ roomId }, body) => ({ [roomId]: sessionsFromWire(roomId, body.sessions) }),
  read: ({ roomId }, rooms) => ({ sessions: sessionsToWire(rooms[roomId]) }),
};

const ONE_SESSION: KeyScope<typeof SessionParams, typeof KeyBackupData> = {
  path: `${PATH}/:roomId/:sessionId`,
  params: SessionParams,
  body: KeyBackupData,
  target: ({ roomId, sessionId }) => {
    checkKeyIds(roomId, sessionId, 'path');
    return { roomId, sessionId };
  },
  upload: ({ roomId, sessionId }, body) => ({ [roomId]: Object.fromEntries([[sessionId, fromWire(body)]]) }),
  read: ({ roomId, sessionId }, rooms) => {
    const key = rooms[roomId]?.[sessionId];
    if (!key) throw MatrixError.notFound('Key not found');
    return toWire(key);
  },
};

/** The `/room_keys/keys` routes of the three scopes: every room, one room, one session. */
export function roomKeysKeysRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [...scopeRoutes(deps, EVERY_ROOM), ...scopeRoutes(deps, ONE_ROOM), ...scopeRoutes(deps, ONE_SESSION)];
}

/** PUT, GET and DELETE of one scope's keys. */
function scopeRoutes<P extends TSchema, B extends TSchema>(deps: ClientRouteDeps, scope: KeyScope<P, B>): AnyRoute[] {
  const api = deps.userApi;
  const common = { path: scope.path, auth: 'user', rateLimit: 'default' } as const;
  return [
    defineRoute({
      ...common,
      method: 'PUT',
      schema: { params: scope.params, query: VersionQuery, body: scope.body },
      handler: async ({ params, query, body, requester }) => {
        const p = params as Static<P>;
        scope.target(p);
        const rooms = scope.upload(p, body as Static<B>);
        return api.performKeyBackupKeysUpload({ userId: backupOwner(requester), version: query.version, rooms });
      },
    }),
    defineRoute({
      ...common,
      method: 'GET',
      schema: { params: scope.params, query: VersionQuery },
      handler: async ({ params, query, requester }) => {
        const p = params as Static<P>;
        const { rooms } = await api.queryKeyBackupKeys({ userId: backupOwner(requester), version: query.version, ...scope.target(p) });
        if (!rooms) throw MatrixError.notFound('Unknown backup version');
        return scope.read(p, rooms);
      },
    }),
    defineRoute({
      ...common,
      method: 'DELETE',
      schema: { params: scope.params, query: VersionQuery },
      handler: async ({ params, query, requester }) =>
        api.performKeyBackupKeysDelete({ userId: backupOwner(requester), version: query.version, ...scope.target(params as Static<P>) }),
    }),
  ];
}
