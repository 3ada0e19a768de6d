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
  if (req.isGuest === true) await requireGuestAccess(ctx, roomId);
  const content = { ...(req.content ?? {}), membership: 'join' };
  const { eventIds } = await performSendEvents(ctx, {
    events: [{ roomId, type: 'm.room.member', stateKey: req.userId, sender: req.userId, content }],
  });
  return { roomId, eventId: eventIds[0]! };
}

/**
 * Guests may join only rooms whose `m.room.guest_access` is `can_join` (spec, guest access).
 * Guests are a local notion the auth rules know nothing of, so the check lives here.
 */
async function requireGuestAccess(ctx: RoomserverInternalContext, roomId: string): Promise<void> {
  const [event] = (await ctx.storage.getStateEvents({ currentOf: roomId }, { tuples: [['m.room.guest_access', '']] })) ?? [];
  const content = event && (JSON.parse(event.json) as { content?: { guest_access?: unknown } }).content;
  if (content?.guest_access !== 'can_join') throw MatrixError.forbidden(`Guests may not join ${roomId}: its guest access is not can_join`);
}
