/**
 * Synapse's room admin API, the read-only part admin tools use: the room list
 * (`admin-rooms-list.ts`), `GET /_synapse/admin/v1/rooms/{roomId}`, `…/members` and `…/state`.
 * A room the roomserver holds no current state for (unknown, or known only through an invite)
 * is 404 `M_NOT_FOUND` "Room not found", as Synapse answers for rooms it has no record of.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { toClientEvent } from '../../matrix/client-event.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import type { ClientRoomserverAPI, StoredRoomEvent } from '../../roomserver/api.js';
import { adminRoomStateExtras, adminRoomStats } from './admin-room-stats.js';
import { adminRoomsListRoute } from './admin-rooms-list.js';
import type { ClientRouteDeps } from './client-route-deps.js';

const Params = Type.Object({ roomId: Type.String() });

/** The room's current state events (optionally of one type), or 404. */
async function currentState(rs: ClientRoomserverAPI, roomId: string, type?: string): Promise<readonly StoredRoomEvent[]> {
  const { found, events } = await rs.queryState({ roomId, ...(type !== undefined ? { types: [type] } : {}) });
  if (!found) throw MatrixError.notFound('Room not found');
  return events;
}

/**
 * Synapse's `forgotten`: no local user's current membership in the room is unforgotten. Only a
 * leave or ban can be forgotten, so any other local membership answers false straight away.
 */
async function isLocallyForgotten(deps: ClientRouteDeps, roomId: string): Promise<boolean> {
  const local = (ids: readonly string[]) => ids.filter((id) => domainOf(id) === deps.config.server_name);
  for (const membership of ['join', 'invite', 'knock']) {
    const { userIds } = await deps.roomserverApi.queryMembers({ roomId, membership });
    if (local(userIds).length > 0) return false;
  }
  for (const membership of ['leave', 'ban']) {
    const { userIds } = await deps.roomserverApi.queryMembers({ roomId, membership });
    for (const userId of local(userIds)) {
      const { roomIds } = await deps.roomserverApi.queryForgottenRooms({ userId });
      if (!roomIds.includes(roomId)) return false;
    }
  }
  return true;
}

/**
 * Synapse's `joined_local_devices`: the devices of the room's joined local users. One userapi
 * call per local member: acceptable for a single room's details, which admins rarely ask for.
 */
async function countLocalDevices(deps: ClientRouteDeps, roomId: string): Promise<number> {
  const { userIds } = await deps.roomserverApi.queryMembers({ roomId, membership: 'join' });
  let count = 0;
  for (const userId of userIds) {
    if (domainOf(userId) !== deps.config.server_name) continue;
    count += (await deps.userApi.queryDevices({ userId })).devices.length;
  }
  return count;
}

/** `GET …/rooms/{roomId}`: the list's fields plus avatar, topic, devices, forgotten and tombstone. */
function detailsRoute(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_synapse/admin/v1/rooms/:roomId',
    auth: 'admin',
    rateLimit: 'none',
    schema: { params: Params },
    handler: async ({ params }) => {
      const state = await currentState(deps.roomserverApi, params.roomId);
      const [entry] = (await deps.roomserverApi.queryRoomListing({ roomId: params.roomId })).rooms;
      if (!entry) throw MatrixError.notFound('Room not found');
      const { tombstoned, replacement_room, ...extras } = adminRoomStateExtras(state);
      return {
        ...adminRoomStats({ entry, state }),
        ...extras,
        joined_local_devices: await countLocalDevices(deps, params.roomId),
        forgotten: await isLocallyForgotten(deps, params.roomId),
        tombstoned,
        replacement_room,
      };
    },
  });
}

/** `…/members` (joined users) and `…/state` (client-format events, `type` to filter). */
function membersAndStateRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_synapse/admin/v1/rooms/:roomId/members',
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: Params },
      handler: async ({ params }) => {
        await currentState(rs, params.roomId, 'm.room.create');
        const { userIds } = await rs.queryMembers({ roomId: params.roomId, membership: 'join' });
        return { members: userIds, total: userIds.length };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_synapse/admin/v1/rooms/:roomId/state',
      auth: 'admin',
      rateLimit: 'none',
      schema: { params: Params, query: Type.Object({ type: Type.Optional(Type.String()) }) },
      handler: async ({ params, query }) => {
        // An empty `type` is no filter, as in Synapse.
        const events = await currentState(rs, params.roomId, query.type || undefined);
        return { state: events.map((e) => toClientEvent(e.eventId, e.roomId, e.event)) };
      },
    }),
  ];
}

/** Every room admin route. */
export function adminRoomsRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [adminRoomsListRoute(deps), detailsRoute(deps), ...membersAndStateRoutes(deps)];
}
