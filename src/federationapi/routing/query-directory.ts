/**
 * `GET /_matrix/federation/v1/query/directory?room_alias=…`: the room one of our aliases maps to,
 * and servers likely to hold it (those of its joined members) so the asker can join through
 * them. We are always listed, first: we hold the alias, so we know the room. Another server's
 * alias is 400 M_INVALID_PARAM (the spec: servers should only ask the alias's own server); an
 * unknown alias of ours is 404 M_NOT_FOUND.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { parseRoomAlias } from '../../matrix/ids/room-alias.js';
import type { QueryRoutesDeps } from './query-routes-deps.js';

/** The route. */
export function queryDirectoryRoutes(deps: QueryRoutesDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/query/directory',
      auth: 'federation',
      rateLimit: 'default',
      schema: { query: Type.Object({ room_alias: Type.String() }) },
      handler: async ({ query }) => {
        const alias = query.room_alias;
        const parsed = parseRoomAlias(alias);
        if (!parsed.ok) throw MatrixError.invalidParam(`Invalid room alias: ${parsed.reason}`);
        if (parsed.value.serverName !== deps.serverName) throw MatrixError.invalidParam('The room alias is not hosted on this server');
        const { roomId } = await deps.roomserverApi.queryRoomAlias({ alias });
        if (roomId === null) throw MatrixError.notFound('Room alias not found');
        const { serverNames } = await deps.roomserverApi.queryJoinedServers({ roomId });
        return { room_id: roomId, servers: [deps.serverName, ...serverNames.filter((s) => s !== deps.serverName)] };
      },
    }),
  ];
}
