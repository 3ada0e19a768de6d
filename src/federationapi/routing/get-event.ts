/**
 * `GET /_matrix/federation/v1/event/{eventId}`: one event, as a transaction holding its PDU.
 *
 * An unknown or rejected event is 404 (we do not vouch for a rejected one); then the asker must
 * be allowed to read the event's room (`room-read-access.ts`), and gets the event redacted when
 * it may not see it by history visibility (`served-pdus.ts`). An outlier has no state here to
 * judge it by, so it too comes redacted.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { requireRoomReadAccess } from './room-read-access.js';
import type { RoomReadRoutesDeps } from './room-read-deps.js';
import { pdusForServer } from './served-pdus.js';

/** The route. */
export function getEventRoutes(deps: RoomReadRoutesDeps): AnyRoute[] {
  const api = deps.readRoomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/event/:eventId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params: Type.Object({ eventId: Type.String() }) },
      handler: async ({ params, origin }) => {
        const asker = origin!.serverName;
        const [event] = (await api.queryEvents({ eventIds: [params.eventId] })).events;
        if (!event || event.rejected) throw MatrixError.notFound(`Unknown event ${params.eventId}`);
        await requireRoomReadAccess(api, asker, event.roomId);
        return { origin: deps.serverName, origin_server_ts: deps.now(), pdus: await pdusForServer(api, asker, [event]) };
      },
    }),
  ];
}
