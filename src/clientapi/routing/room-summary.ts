/**
 * `GET /_matrix/client/v1/room_summary/{roomIdOrAlias}` (Matrix 1.15, MSC3266) and its unstable
 * spellings under `im.nheko.summary`: a room's `RoomSummary` for anyone allowed to see it, plus
 * the requester's `membership` when authenticated. A room that cannot be seen is reported as not
 * found, so the endpoint does not reveal which private rooms exist. Only rooms this server has
 * state for, and aliases of this server, for now: `via` is accepted for when federation can use it.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type RouteContext } from '../../internal/httputil/route.js';
import { parseRoomIdOrAlias } from '../../matrix/ids/room-id-or-alias.js';
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { joinedRoomsOnce, mayViewRoom } from './room-summary-access.js';
import { roomSummaryJson } from '../../internal/roomsummary/room-summary-json.js';
import { localRoomSummaries } from './room-summary-source.js';

const Params = Type.Object({ roomIdOrAlias: Type.String() });
const Query = Type.Object({ via: Type.Optional(Type.Array(Type.String())) });

const PATHS = [
  '/_matrix/client/v1/room_summary/:roomIdOrAlias',
  '/_matrix/client/unstable/im.nheko.summary/rooms/:roomIdOrAlias/summary',
  '/_matrix/client/unstable/im.nheko.summary/summary/:roomIdOrAlias',
] as const;

export function roomSummaryRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  const source = localRoomSummaries(rs);
  const handler = async ({ params, query, requester }: RouteContext<{ params: typeof Params; query: typeof Query }>): Promise<object> => {
    const roomId = await resolveRoomIdOrAlias(rs, params.roomIdOrAlias);
    const userId = requester?.userId;
    const summary = (await source([{ roomId, via: query.via ?? [] }], userId)).get(roomId);
    if (!summary || !(await mayViewRoom(summary, joinedRoomsOnce(rs, userId)))) throw MatrixError.notFound('Room not found');
    // Synapse's reading of the spec: an authenticated user with no membership gets `leave`.
    return { ...roomSummaryJson(summary), ...(userId !== undefined ? { membership: summary.membership ?? 'leave' } : {}) };
  };
  return PATHS.map((path) => defineRoute({ method: 'GET', path, auth: 'optional', rateLimit: 'default', schema: { params: Params, query: Query }, handler }));
}

/**
 * The room ID named by a room ID or an alias of this server.
 * @throws MatrixError 400 M_INVALID_PARAM when it is neither; 404 M_NOT_FOUND for an unknown alias.
 */
async function resolveRoomIdOrAlias(rs: ClientRoomserverAPI, roomIdOrAlias: string): Promise<string> {
  const named = parseRoomIdOrAlias(roomIdOrAlias);
  if ('roomId' in named) return named.roomId;
  const { roomId } = await rs.queryRoomAlias({ alias: named.alias });
  if (roomId === null) throw MatrixError.notFound('Room not found');
  return roomId;
}
