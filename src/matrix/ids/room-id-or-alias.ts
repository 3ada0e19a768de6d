/**
 * What a `{roomIdOrAlias}` path parameter names: a room ID, or an alias still to be looked up.
 * Shared by every endpoint that takes either (join, knock, room summary).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseRoomAlias } from './room-alias.js';
import { parseRoomId } from './room-id.js';

/** A room ID, or an alias with the server that holds it. */
export type RoomIdOrAlias = { readonly roomId: string } | { readonly alias: string; readonly serverName: string };

/**
 * Tells the two apart by their sigil and checks the grammar.
 * @throws MatrixError 400 `M_INVALID_PARAM` when it is neither.
 */
export function parseRoomIdOrAlias(roomIdOrAlias: string): RoomIdOrAlias {
  if (roomIdOrAlias.startsWith('!')) {
    const parsed = parseRoomId(roomIdOrAlias);
    if (!parsed.ok) throw MatrixError.invalidParam(`${roomIdOrAlias} is not a valid room ID: ${parsed.reason}`);
    return { roomId: roomIdOrAlias };
  }
  const parsed = parseRoomAlias(roomIdOrAlias);
  if (!parsed.ok) throw MatrixError.invalidParam(`${roomIdOrAlias} is neither a room ID nor a room alias: ${parsed.reason}`);
  return { alias: roomIdOrAlias, serverName: parsed.value.serverName };
}
