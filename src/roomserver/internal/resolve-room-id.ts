/**
 * A room ID or an alias, as `POST /join/{roomIdOrAlias}` takes them, turned into a room ID and
 * the servers an alias's owner says are in the room. Our aliases resolve locally; another
 * server's alias is asked of that server through the federationapi.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseRoomIdOrAlias } from '../../matrix/ids/room-id-or-alias.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** A resolved room: its ID and, for an alias, the servers to join through. */
export interface ResolvedRoom {
  readonly roomId: string;
  readonly servers: readonly string[];
}

/**
 * The room named by `roomIdOrAlias`.
 * @throws MatrixError `M_INVALID_PARAM` when it is neither; `M_NOT_FOUND` for an unknown alias.
 */
export async function resolveRoom(ctx: RoomserverInternalContext, roomIdOrAlias: string): Promise<ResolvedRoom> {
  const named = parseRoomIdOrAlias(roomIdOrAlias);
  if ('roomId' in named) return { roomId: named.roomId, servers: [] };
  if (named.serverName === ctx.serverName) {
    const found = await ctx.storage.getRoomAlias(named.alias);
    if (found) return { roomId: found.roomId, servers: [] };
    throw MatrixError.notFound(`Room alias ${roomIdOrAlias} not found`);
  }
  const federation = ctx.federation();
  if (!federation) throw MatrixError.notFound(`Room alias ${roomIdOrAlias} is on another server and this server does not federate`);
  const { roomId, servers } = await federation.queryRemoteAlias({ alias: named.alias });
  if (roomId === null) throw MatrixError.notFound(`Room alias ${roomIdOrAlias} not found`);
  return { roomId, servers };
}

/** The room ID named by `roomIdOrAlias` (see {@link resolveRoom}). */
export async function resolveRoomId(ctx: RoomserverInternalContext, roomIdOrAlias: string): Promise<string> {
  return (await resolveRoom(ctx, roomIdOrAlias)).roomId;
}
