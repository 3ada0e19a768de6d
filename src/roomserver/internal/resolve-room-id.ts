/**
 * A room ID or an alias, as `POST /join/{roomIdOrAlias}` takes them, turned into a room ID.
 * Only aliases of this server resolve: asking another server is the federationapi's job, which
 * does not exist yet.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseRoomAlias } from '../../matrix/ids/room-alias.js';
import { parseRoomId } from '../../matrix/ids/room-id.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/**
 * The room ID named by `roomIdOrAlias`.
 * @throws MatrixError `M_INVALID_PARAM` when it is neither; `M_NOT_FOUND` for an unknown alias.
 */
export async function resolveRoomId(ctx: RoomserverInternalContext, roomIdOrAlias: string): Promise<string> {
  if (roomIdOrAlias.startsWith('!')) {
    const parsed = parseRoomId(roomIdOrAlias);
    if (!parsed.ok) throw MatrixError.invalidParam(`${roomIdOrAlias} is not a valid room ID: ${parsed.reason}`);
    return roomIdOrAlias;
  }
  const parsed = parseRoomAlias(roomIdOrAlias);
  if (!parsed.ok) throw MatrixError.invalidParam(`${roomIdOrAlias} is neither a room ID nor a room alias: ${parsed.reason}`);
  const found = await ctx.storage.getRoomAlias(roomIdOrAlias);
  if (found) return found.roomId;
  const where = parsed.value.serverName === ctx.serverName ? '' : ' (aliases of other servers need federation, not available yet)';
  throw MatrixError.notFound(`Room alias ${roomIdOrAlias} not found${where}`);
}
