/**
 * A room ID or an alias, as `POST /join/{roomIdOrAlias}` takes them, turned into a room ID.
 * Only aliases of this server resolve: asking another server is the federationapi's job, which
 * does not exist yet.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseRoomIdOrAlias } from '../../matrix/ids/room-id-or-alias.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/**
 * The room ID named by `roomIdOrAlias`.
 * @throws MatrixError `M_INVALID_PARAM` when it is neither; `M_NOT_FOUND` for an unknown alias.
 */
export async function resolveRoomId(ctx: RoomserverInternalContext, roomIdOrAlias: string): Promise<string> {
  const named = parseRoomIdOrAlias(roomIdOrAlias);
  if ('roomId' in named) return named.roomId;
  const found = await ctx.storage.getRoomAlias(named.alias);
  if (found) return found.roomId;
  const where = named.serverName === ctx.serverName ? '' : ' (aliases of other servers need federation, not available yet)';
  throw MatrixError.notFound(`Room alias ${roomIdOrAlias} not found${where}`);
}
