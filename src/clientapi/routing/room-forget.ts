/** `POST /rooms/{roomId}/forget`: the user stops seeing a room they left (see `performForgetRoom`). */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { checkRoomIdParam } from './account-data.js';
import type { ClientRouteDeps } from './client-route-deps.js';

export function postRoomForget(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/rooms/:roomId/forget',
    auth: 'user',
    rateLimit: 'default',
    schema: { params: Type.Object({ roomId: Type.String() }) },
    handler: async ({ params, requester }) => {
      checkRoomIdParam(params.roomId);
      // 400 M_UNKNOWN while still in the room; a room never joined is nothing to forget (200, as Synapse).
      await deps.roomserverApi.performForgetRoom({ roomId: params.roomId, userId: requester!.userId });
      return {};
    },
  });
}
