/**
 * Room aliases: `GET/PUT/DELETE /directory/room/{roomAlias}` and `GET /rooms/{roomId}/aliases`.
 * Only this server's aliases exist for now: resolving another server's alias is a federation
 * query, which arrives with the federationapi (until then such an alias is 404).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { parseRoomAlias } from '../../matrix/ids/room-alias.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { requireCurrentReadAccess } from './room-access.js';

const AliasParams = Type.Object({ roomAlias: Type.String() });
const PATH = '/_matrix/client/v3/directory/room/:roomAlias';

/** 400 M_INVALID_PARAM unless `alias` is a room alias. */
function checkAlias(alias: string): void {
  const parsed = parseRoomAlias(alias);
  if (!parsed.ok) throw MatrixError.invalidParam(`Room alias invalid: ${parsed.reason}`);
}

export function roomAliasRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: PATH,
      auth: 'optional',
      rateLimit: 'default',
      schema: { params: AliasParams },
      handler: async ({ params }) => {
        checkAlias(params.roomAlias);
        const { roomId } = await rs.queryRoomAlias({ alias: params.roomAlias });
        if (roomId === null) throw MatrixError.notFound(`Room alias ${params.roomAlias} not found`);
        const { serverNames } = await rs.queryJoinedServers({ roomId });
        return { room_id: roomId, servers: serverNames.length > 0 ? serverNames : [deps.config.server_name] };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: PATH,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: AliasParams, body: Type.Object({ room_id: Type.String() }) },
      handler: async ({ params, body, requester }) => {
        checkAlias(params.roomAlias);
        const { created } = await rs.performSetRoomAlias({ alias: params.roomAlias, roomId: body.room_id, userId: requester!.userId });
        if (!created) throw new MatrixError(409, 'M_UNKNOWN', `Room alias ${params.roomAlias} already exists`);
        return {};
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: PATH,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: AliasParams },
      handler: async ({ params, requester }) => {
        checkAlias(params.roomAlias);
        const { removed } = await rs.performRemoveRoomAlias({ alias: params.roomAlias, userId: requester!.userId, isAdmin: requester!.isAdmin });
        if (!removed) throw MatrixError.notFound(`Room alias ${params.roomAlias} not found`);
        return {};
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/_matrix/client/v3/rooms/:roomId/aliases',
      auth: 'user',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }) },
      handler: async ({ params, requester }) => {
        // The spec: members, or anyone when the room is world-readable.
        await requireCurrentReadAccess(rs, params.roomId, requester!);
        return { aliases: (await rs.queryAliasesForRoom({ roomId: params.roomId })).aliases };
      },
    }),
  ];
}
