/**
 * `performKnock`: a local user asks to join a room this server is in, by room ID or one of our
 * aliases, with an `m.room.member` event of membership `knock` sent through the ordinary send
 * path. The auth rules decide (knock or knock_restricted join rule, room version with knocking,
 * not joined, invited or banned), and a refusal names the rule. The rest of a knock's life uses
 * `performMembership`: the knocker rescinds with `leave`, a moderator accepts with `invite` and
 * refuses with `kick` or `ban`. Knocking on rooms only other servers are in (make_knock /
 * send_knock) arrives with the federationapi; `serverNames` is kept for it.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import type { PerformKnockRequest, PerformKnockResponse } from '../api.js';
import { performSendEvents } from './perform-send-events.js';
import { resolveRoomId } from './resolve-room-id.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Sends the user's knock; the room ID and the knock event's ID. */
export async function performKnock(ctx: RoomserverInternalContext, req: PerformKnockRequest): Promise<PerformKnockResponse> {
  const roomId = await resolveRoomId(ctx, req.roomIdOrAlias);
  const room = await ctx.storage.getRoomInfo(roomId);
  if (!room?.hasState) throw MatrixError.notFound(`Room ${roomId} is not known to this server (knocking through other servers needs federation, not available yet)`);
  const content: JsonObject = {
    ...(req.content ?? {}),
    membership: 'knock',
    ...(req.reason !== undefined ? { reason: req.reason } : {}),
  };
  const { eventIds } = await performSendEvents(ctx, {
    events: [{ roomId, type: 'm.room.member', stateKey: req.userId, sender: req.userId, content }],
  });
  return { roomId, eventId: eventIds[0]! };
}
