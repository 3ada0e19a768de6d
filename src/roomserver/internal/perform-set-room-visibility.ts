/**
 * `performSetRoomVisibility`: publishes a room in (or removes it from) the server's directory.
 * The spec leaves access control to servers; we follow Synapse: a server admin, or a joined
 * member whose power level lets them send `m.room.canonical_alias` — the people who already
 * decide how the room is advertised.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformSetRoomVisibilityRequest, PerformSetRoomVisibilityResponse } from '../api.js';
import { maySetCanonicalAlias } from './perform-remove-room-alias.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/**
 * Sets the visibility; `changed: false` when it already was so.
 * @throws MatrixError 404 M_NOT_FOUND for an unknown room, 403 M_FORBIDDEN for a user who may not.
 */
export async function performSetRoomVisibility(ctx: RoomserverInternalContext, req: PerformSetRoomVisibilityRequest): Promise<PerformSetRoomVisibilityResponse> {
  if (!(await ctx.storage.getRoomInfo(req.roomId))?.hasState) throw MatrixError.notFound(`Unknown room ${req.roomId}`);
  if (req.isAdmin !== true && !(await maySetCanonicalAlias(ctx, req.roomId, req.userId))) {
    throw MatrixError.forbidden('You need to be joined with the power to change the canonical alias to change the room\'s visibility');
  }
  const published = req.visibility === 'public';
  if ((await ctx.storage.isRoomPublished(req.roomId)) === published) return { changed: false };
  await ctx.storage.setRoomPublished(req.roomId, published);
  return { changed: true };
}
