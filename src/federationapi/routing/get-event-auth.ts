/**
 * `GET /_matrix/federation/v1/event_auth/{roomId}/{eventId}`: the auth chain of one event — its
 * auth events and theirs, recursively, not the event itself (Synapse's `on_event_auth`). The
 * asker must be in the room and allowed by its ACL; the chain is not filtered by history
 * visibility (auth events are state the asker needs to check the event). An unknown or rejected
 * event, or one of another room, is 404.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { requireRoomReadAccess } from './room-read-access.js';
import type { RoomReadRoutesDeps } from './room-read-deps.js';
import { federationPdu } from './served-pdus.js';

/** The route. */
export function getEventAuthRoutes(deps: RoomReadRoutesDeps): AnyRoute[] {
  const api = deps.readRoomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/event_auth/:roomId/:eventId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String(), eventId: Type.String() }) },
      handler: async ({ params, origin }) => {
        await requireRoomReadAccess(api, origin!.serverName, params.roomId);
        const [event] = (await api.queryEvents({ eventIds: [params.eventId] })).events;
        if (!event || event.rejected || event.roomId !== params.roomId) throw MatrixError.notFound(`Unknown event ${params.eventId} in room ${params.roomId}`);
        const chain = await api.queryAuthChain({ eventIds: [event.eventId] });
        return { auth_chain: chain.events.map(federationPdu) };
      },
    }),
  ];
}
