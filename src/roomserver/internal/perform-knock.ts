/**
 * `performKnock`: a local user asks to join a room this server is in, by room ID or one of our
 * aliases, with an `m.room.member` event of membership `knock` sent through the ordinary send
 * path. The auth rules decide (knock or knock_restricted join rule, room version with knocking,
 * not joined, invited or banned), and a refusal names the rule. The rest of a knock's life uses
 * `performMembership`: the knocker rescinds with `leave`, a moderator accepts with `invite` and
 * refuses with `kick` or `ban`. A room only other servers are in is knocked on through the
 * federationapi (make_knock/send_knock via `serverNames`, the alias's servers, the room ID's
 * server); the knock is then recorded as a membership from outside the room's DAG, carrying
 * the stripped state the resident server gave, so the knocker's sync shows the room.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { roomVersion } from '../../matrix/room-version.js';
import type { PerformKnockRequest, PerformKnockResponse } from '../api.js';
import { performSendEvents } from './perform-send-events.js';
import { resolveRoom } from './resolve-room-id.js';
import { canSendLocally, recordOutOfRoomMembership } from './room-residency.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Sends the user's knock; the room ID and the knock event's ID. */
export async function performKnock(ctx: RoomserverInternalContext, req: PerformKnockRequest): Promise<PerformKnockResponse> {
  const { roomId, servers } = await resolveRoom(ctx, req.roomIdOrAlias);
  const room = await ctx.storage.getRoomInfo(roomId);
  const content: JsonObject = {
    ...(req.content ?? {}),
    membership: 'knock',
    ...(req.reason !== undefined ? { reason: req.reason } : {}),
  };
  if (room?.hasState && (await canSendLocally(ctx, roomId))) {
    const { eventIds } = await performSendEvents(ctx, {
      events: [{ roomId, type: 'm.room.member', stateKey: req.userId, sender: req.userId, content }],
    });
    return { roomId, eventId: eventIds[0]! };
  }
  const federation = ctx.federation();
  if (!federation) throw MatrixError.notFound(`Room ${roomId} is not known to this server, and it does not federate`);
  const candidates = [...(req.serverNames ?? []), ...servers, ...(domainOf(roomId) !== undefined ? [domainOf(roomId)!] : [])];
  const knocked = await federation.performKnock({ roomId, userId: req.userId, serverNames: candidates, content });
  const parsed = parseEvent(knocked.event, roomVersion(knocked.roomVersion));
  const unsigned = { ...(isJsonObject(parsed.json.unsigned) ? parsed.json.unsigned : {}), knock_room_state: [...knocked.knockRoomState] };
  const event: RoomEvent = { ...parsed, json: { ...parsed.json, unsigned } };
  await ctx.queue.run(roomId, () => recordOutOfRoomMembership(ctx, event));
  return { roomId, eventId: event.eventId };
}
