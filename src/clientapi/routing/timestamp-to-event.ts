/**
 * `GET /_matrix/client/v1/rooms/{roomId}/timestamp_to_event?ts=&dir=f|b`: the room's event
 * closest to a time, as this server holds the room (asking other servers when local history has
 * a gap comes with federation). The reader must be able to read the room and to see the event
 * found; a hidden event is answered like a missing one.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { roomReadAccess, visibleEventIds } from './room-access.js';

export function getTimestampToEvent(deps: ClientRouteDeps): AnyRoute {
  const rs = deps.roomserverApi;
  return defineRoute({
    method: 'GET',
    path: '/_matrix/client/v1/rooms/:roomId/timestamp_to_event',
    auth: 'user',
    rateLimit: 'default',
    schema: {
      params: Type.Object({ roomId: Type.String() }),
      query: Type.Object({ ts: Type.Integer({ minimum: 0 }), dir: Type.Union([Type.Literal('f'), Type.Literal('b')]) }),
    },
    handler: async ({ params, query, requester }) => {
      await roomReadAccess(rs, params.roomId, requester!);
      const { event } = await rs.queryEventByTimestamp({ roomId: params.roomId, ts: query.ts, dir: query.dir });
      if (!event || !(await visibleEventIds(rs, params.roomId, [event.eventId], requester!)).has(event.eventId)) {
        throw MatrixError.notFound(`Unable to find event from ${query.ts} in ${query.dir === 'f' ? 'forward' : 'backward'} direction`);
      }
      return { event_id: event.eventId, origin_server_ts: event.originServerTs };
    },
  });
}
