/**
 * `GET /_matrix/federation/v1/backfill/{roomId}?v=…&limit=`: the events given in `v` and those
 * before them, deepest first, up to `limit` ("including the given events", spec), as a
 * transaction. `limit` is capped at 100, Synapse's cap ("Synapse asks for 100 events per backfill
 * request. Do not allow more."). The asker must be in the room and allowed by its ACL; events it
 * may not see by history visibility come redacted (`served-pdus.ts`).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { requireRoomReadAccess } from './room-read-access.js';
import type { RoomReadRoutesDeps } from './room-read-deps.js';
import { pdusForServer } from './served-pdus.js';

/** The most events one backfill answers with. */
export const MAX_BACKFILL_LIMIT = 100;

/** The route. */
export function getBackfillRoutes(deps: RoomReadRoutesDeps): AnyRoute[] {
  const api = deps.readRoomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/backfill/:roomId',
      auth: 'federation',
      rateLimit: 'default',
      schema: {
        params: Type.Object({ roomId: Type.String() }),
        query: Type.Object({ v: Type.Array(Type.String()), limit: Type.Integer() }),
      },
      handler: async ({ params, query, origin }) => {
        if (query.v.length === 0) throw MatrixError.missingParam('No event IDs to backfill from (v)');
        if (query.limit < 0) throw MatrixError.invalidParam('limit must not be negative');
        const asker = origin!.serverName;
        await requireRoomReadAccess(api, asker, params.roomId);
        const limit = Math.min(query.limit, MAX_BACKFILL_LIMIT);
        const { events } = await api.queryBackfill({ roomId: params.roomId, eventIds: query.v, limit });
        return { origin: deps.serverName, origin_server_ts: deps.now(), pdus: await pdusForServer(api, asker, events) };
      },
    }),
  ];
}
