/**
 * `GET /_matrix/federation/v1/timestamp_to_event/{roomId}?ts=&dir=f|b`: the room's event closest
 * to a time, for a server whose own copy of the room has a gap there.
 *
 * The asker must be allowed to read the room as for the other read routes (`room-read-access.ts`:
 * 404 for a room without state here, 403 for a server with nobody joined or denied by the ACL).
 * Unlike them this answers an ID and a timestamp only, so an event the asker may not see by
 * history visibility is answered like a missing one (404) rather than redacted: its timestamp is
 * already more than such a server may learn. Synapse answers without that check; the asker
 * fetches the event with `/event` anyway, which would serve it redacted.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { requireRoomReadAccess } from './room-read-access.js';
import type { RoomReadRoutesDeps } from './room-read-deps.js';

/** The route. */
export function getTimestampToEventRoutes(deps: RoomReadRoutesDeps): AnyRoute[] {
  const api = deps.readRoomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/timestamp_to_event/:roomId',
      auth: 'federation',
      rateLimit: 'default',
      schema: {
        params: Type.Object({ roomId: Type.String() }),
        query: Type.Object({ ts: Type.Integer({ minimum: 0 }), dir: Type.Union([Type.Literal('f'), Type.Literal('b')]) }),
      },
      handler: async ({ params, query, origin }) => {
        const asker = origin!.serverName;
        await requireRoomReadAccess(api, asker, params.roomId);
        const { event } = await api.queryEventByTimestamp({ roomId: params.roomId, ts: query.ts, dir: query.dir });
        const visible = event !== null && (await api.queryEventVisibility({ eventIds: [event.eventId], serverName: asker })).events[0]?.visible === true;
        if (!event || !visible) {
          throw MatrixError.notFound(`Unable to find event from ${query.ts} in ${query.dir === 'f' ? 'forward' : 'backward'} direction`);
        }
        return { event_id: event.eventId, origin_server_ts: event.originServerTs };
      },
    }),
  ];
}
