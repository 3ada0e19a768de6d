/** `performSetRoomAlias`: maps one of this server's aliases to a room it knows. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseRoomAlias } from '../../matrix/ids/room-alias.js';
import type { PerformSetRoomAliasRequest, PerformSetRoomAliasResponse } from '../api.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/**
 * Creates the alias; `created: false` when it exists already (callers choose the errcode:
 * `PUT /directory/room` says 409 M_UNKNOWN, `/createRoom` M_ROOM_IN_USE).
 * @throws MatrixError `M_INVALID_PARAM` for a malformed alias or one of another server;
 *   `M_NOT_FOUND` for an unknown room.
 */
export async function performSetRoomAlias(ctx: RoomserverInternalContext, req: PerformSetRoomAliasRequest): Promise<PerformSetRoomAliasResponse> {
  checkLocalAlias(ctx, req.alias);
  if (!(await ctx.storage.getRoomInfo(req.roomId))?.hasState) throw MatrixError.notFound(`Unknown room ${req.roomId}`);
  return { created: await ctx.storage.setRoomAlias(req.alias, req.roomId, req.userId) };
}

/** M_INVALID_PARAM unless `alias` is a valid alias of this server. */
export function checkLocalAlias(ctx: RoomserverInternalContext, alias: string): void {
  const parsed = parseRoomAlias(alias);
  if (!parsed.ok) throw MatrixError.invalidParam(`Room alias invalid: ${parsed.reason}`);
  if (parsed.value.serverName !== ctx.serverName) throw MatrixError.invalidParam(`Room alias ${alias} is not on this server (${ctx.serverName})`);
}
