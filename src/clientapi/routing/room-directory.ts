/**
 * The published room directory: `GET/PUT /directory/list/room/{roomId}` (a room's visibility)
 * and `GET/POST /publicRooms` (the listing). Only this server's directory for now: another
 * server's (`?server=`) is a federation query, which arrives with the federationapi.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRoomserverAPI, PublicRoomSummary } from '../../roomserver/api.js';
import { checkRoomIdParam } from './account-data.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { PublicRoomsBody, publicRoomsQueryOfBody } from '../../internal/roomsummary/public-rooms-body.js';
import { publicRoomsPage, type PublicRoomsQuery, type PublicRoomsResponse } from '../../internal/roomsummary/public-rooms-page.js';

const RoomIdParams = Type.Object({ roomId: Type.String() });
const VISIBILITY_PATH = '/_matrix/client/v3/directory/list/room/:roomId';
const PUBLIC_ROOMS_PATH = '/_matrix/client/v3/publicRooms';
const ServerQuery = Type.Object({ server: Type.Optional(Type.String()) });

export function roomDirectoryRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  const listing = async (server: string | undefined, q: PublicRoomsQuery): Promise<PublicRoomsResponse> => {
    if (server !== undefined && server !== deps.config.server_name) {
      throw MatrixError.notFound(`The directory of ${server} cannot be queried yet (no federation)`);
    }
    return publicRoomsPage(await publishedSummaries(rs), q);
  };
  return [
    defineRoute({
      method: 'GET',
      path: VISIBILITY_PATH,
      auth: 'none',
      rateLimit: 'default',
      schema: { params: RoomIdParams },
      handler: async ({ params }) => {
        checkRoomIdParam(params.roomId);
        const { exists, visibility } = await rs.queryRoomVisibility({ roomId: params.roomId });
        if (!exists) throw MatrixError.notFound('Room not found');
        return { visibility };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: VISIBILITY_PATH,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RoomIdParams, body: Type.Object({ visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')])) }) },
      handler: async ({ params, body, requester }) => {
        checkRoomIdParam(params.roomId);
        // The spec's default when `visibility` is absent.
        const visibility = body.visibility ?? 'public';
        await rs.performSetRoomVisibility({ roomId: params.roomId, userId: requester!.userId, isAdmin: requester!.isAdmin, visibility });
        return {};
      },
    }),
    defineRoute({
      method: 'GET',
      path: PUBLIC_ROOMS_PATH,
      // The spec requires no access token for the GET form.
      auth: 'optional',
      rateLimit: 'default',
      schema: { query: Type.Object({ limit: Type.Optional(Type.Integer()), since: Type.Optional(Type.String()), server: Type.Optional(Type.String()) }) },
      handler: ({ query }) => listing(query.server, { limit: query.limit, since: query.since }),
    }),
    defineRoute({
      method: 'POST',
      path: PUBLIC_ROOMS_PATH,
      auth: 'user',
      rateLimit: 'default',
      schema: { query: ServerQuery, body: PublicRoomsBody },
      handler: ({ query, body }) => listing(query.server, publicRoomsQueryOfBody(body)),
    }),
  ];
}

async function publishedSummaries(rs: ClientRoomserverAPI): Promise<readonly PublicRoomSummary[]> {
  return (await rs.queryPublicRoomsSummaries({})).rooms;
}
