/** `GET /joined_rooms`: the rooms the user is joined to, from the roomserver's membership table. */
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';

export function getJoinedRooms(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v3/joined_rooms',
    auth: 'user',
    rateLimit: 'default',
    schema: {},
    handler: async ({ requester }) => {
      const { roomIds } = await deps.roomserverApi.queryRoomsForUser({ userId: requester!.userId, membership: 'join' });
      return { joined_rooms: roomIds };
    },
  });
}
