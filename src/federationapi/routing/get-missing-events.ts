/**
 * `POST /_matrix/federation/v1/get_missing_events/{roomId}`: the events before `latest_events`
 * the asker is missing, walking `prev_events` breadth-first without passing `earliest_events`
 * or going below `min_depth`, oldest first. `limit` defaults to 10 (spec) and is capped at 20,
 * Synapse's cap ("Only allow up to 20 events to be retrieved per request"). The asker must be
 * in the room and allowed by its ACL; events it may not see by history visibility come redacted
 * (`served-pdus.ts`).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { requireRoomReadAccess } from './room-read-access.js';
import type { RoomReadRoutesDeps } from './room-read-deps.js';
import { pdusForServer } from './served-pdus.js';

/** The spec's default `limit`. */
const DEFAULT_LIMIT = 10;
/** The most events one request answers with. */
export const MAX_MISSING_EVENTS_LIMIT = 20;

const Body = Type.Object({
  earliest_events: Type.Array(Type.String()),
  latest_events: Type.Array(Type.String()),
  limit: Type.Optional(Type.Integer()),
  min_depth: Type.Optional(Type.Integer()),
});

/** The route. */
export function getMissingEventsRoutes(deps: RoomReadRoutesDeps): AnyRoute[] {
  const api = deps.readRoomserverApi;
  return [
    defineRoute({
      method: 'POST',
      path: '/_matrix/federation/v1/get_missing_events/:roomId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }), body: Body },
      handler: async ({ params, body, origin }) => {
        const limit = body.limit ?? DEFAULT_LIMIT;
        if (limit < 0) throw MatrixError.invalidParam('limit must not be negative');
        const asker = origin!.serverName;
        await requireRoomReadAccess(api, asker, params.roomId);
        const { events } = await api.queryMissingEvents({
          roomId: params.roomId,
          earliestEvents: body.earliest_events,
          latestEvents: body.latest_events,
          limit: Math.min(limit, MAX_MISSING_EVENTS_LIMIT),
          minDepth: body.min_depth ?? 0,
        });
        return { events: await pdusForServer(api, asker, events) };
      },
    }),
  ];
}
