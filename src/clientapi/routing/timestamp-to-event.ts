/**
 * `GET /_matrix/client/v1/rooms/{roomId}/timestamp_to_event?ts=&dir=f|b`: the room's event
 * closest to a time. The reader must be able to read the room and to see the event found; a
 * hidden event is answered like a missing one.
 *
 * When this server holds nothing there — typically a time before we joined a room over
 * federation — the room's other servers are asked through the federationapi, which fetches and
 * places the event they name (`perform-remote-timestamp-to-event.ts`). Kept simple: a local
 * answer is never second-guessed, although one next to a gap in our history may be farther
 * from `ts` than one another server holds. Other servers' failures end in 404, never 500.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { roomReadAccess, visibleEventIds } from './room-access.js';

type Found = { readonly eventId: string; readonly originServerTs: number };

/** The route. */
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
      const local = (await rs.queryEventByTimestamp({ roomId: params.roomId, ts: query.ts, dir: query.dir })).event;
      const event = local ?? (await askOtherServers(deps, params.roomId, query.ts, query.dir));
      if (!event || !(await visibleEventIds(rs, params.roomId, [event.eventId], requester!)).has(event.eventId)) {
        throw MatrixError.notFound(`Unable to find event from ${query.ts} in ${query.dir === 'f' ? 'forward' : 'backward'} direction`);
      }
      return { event_id: event.eventId, origin_server_ts: event.originServerTs };
    },
  });
}

/** The event the room's other servers name, now held here; null without a federationapi or when none could tell. */
async function askOtherServers(deps: ClientRouteDeps, roomId: string, ts: number, dir: 'f' | 'b'): Promise<Found | null> {
  const federation = deps.federationApi?.();
  if (!federation) return null;
  const { serverNames } = await deps.roomserverApi.queryJoinedServers({ roomId });
  const servers = serverNames.filter((s) => s !== deps.config.server_name);
  if (servers.length === 0) return null;
  try {
    return (await federation.performRemoteTimestampToEvent({ roomId, ts, dir, servers })).event;
  } catch (e) {
    // A best effort on top of the local answer: the client gets the 404 it would have had.
    deps.logger.warn({ roomId, err: e instanceof Error ? e.message : String(e) }, 'timestamp_to_event: asking other servers failed');
    return null;
  }
}
