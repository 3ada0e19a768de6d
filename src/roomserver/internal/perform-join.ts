/**
 * `performJoin`: a local user joins a room this server is in, by room ID or by one of our
 * aliases. The join rules are enforced by the auth rules on the send path (an invite-only room
 * without an invite is `M_FORBIDDEN`). Joining a room only other servers are in (a remote join:
 * make_join/send_join) arrives with the federationapi.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformJoinRequest, PerformJoinResponse } from '../api.js';
import { performSendEvents } from './perform-send-events.js';
import { resolveRoomId } from './resolve-room-id.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Sends the user's join; the room ID and the join event's ID. */
export async function performJoin(ctx: RoomserverInternalContext, req: PerformJoinRequest): Promise<PerformJoinResponse> {
  const roomId = await resolveRoomId(ctx, req.roomIdOrAlias);
  const room = await ctx.storage.getRoomInfo(roomId);
  if (!room?.hasState) throw MatrixError.notFound(`Room ${roomId} is not known to this server (remote joins need federation, not available yet)`);
  const content = { ...(req.content ?? {}), membership: 'join' };
  const { eventIds } = await performSendEvents(ctx, {
    events: [{ roomId, type: 'm.room.member', stateKey: req.userId, sender: req.userId, content }],
  });
  return { roomId, eventId: eventIds[0]! };
}
