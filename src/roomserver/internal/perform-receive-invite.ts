/**
 * `performReceiveInvite`: an invite another server sent one of our users (`PUT /invite`), which
 * the federationapi checked and co-signed. Its signatures and hash are verified here like any
 * incoming PDU; then where it goes depends on what we hold of the room:
 *
 * - a local user is joined: we are in the room, and the invite reaches its DAG through `/send`
 *   like any other event. Until then it is stored as an **outlier** (checked against its own
 *   auth events), as Synapse stores out-of-band memberships.
 * - otherwise (a room we never saw, or know only from earlier invites, or left): we cannot place
 *   the invite in a DAG we do not have, yet the invitee's sync and room lists must show it. So
 *   it is stored with an empty state before it and made part of the room's **current state**
 *   (the current state plus this invite), without becoming a forward extremity: nothing we
 *   build later must list it as a prev event. The `new_room_event` goes out as usual, carrying
 *   the stripped state in `unsigned.invite_room_state` (as local invites do, stripped-state.ts).
 *
 * Either way the invite is recorded among the pending invites (`roomserver_invites`).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject } from '../../matrix/json.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { roomVersion } from '../../matrix/room-version.js';
import type { PerformReceiveInviteRequest, PerformReceiveInviteResponse } from '../api.js';
import { inputVerifiedEvent } from './input-room-event.js';
import { recordOutOfRoomMembership } from './room-residency.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';
import { verifyIncomingEvent } from './verify-incoming-event.js';

/**
 * Verifies and stores the invite.
 * @throws MatrixError 400 `M_BAD_JSON` for a malformed event or one that is not an invite of a
 *   local user, 400 `M_INCOMPATIBLE_ROOM_VERSION` when we know the room under another version,
 *   403 `M_FORBIDDEN` for a bad signature or hash, or an outlier refused by its auth events.
 */
export async function performReceiveInvite(ctx: RoomserverInternalContext, req: PerformReceiveInviteRequest): Promise<PerformReceiveInviteResponse> {
  const rv = roomVersion(req.roomVersion);
  const verified = await verifyIncomingEvent(ctx, req.event, rv, req.origin);
  if (!verified.ok) {
    if (verified.rejection.rule === 'format') throw MatrixError.badJson(verified.rejection.reason);
    throw MatrixError.forbidden(`${verified.rejection.reason} (${verified.rejection.rule})`);
  }
  if (verified.redacted) throw MatrixError.forbidden('The invite does not match its content hash');
  const received = verified.event;
  requireLocalInvite(ctx, received);
  const unsigned = { ...(isJsonObject(received.json.unsigned) ? received.json.unsigned : {}), invite_room_state: [...req.inviteRoomState] };
  const event: RoomEvent = { ...received, json: { ...received.json, unsigned } };
  return ctx.queue.run(event.roomId, async () => {
    const room = await ctx.storage.getRoomInfo(event.roomId);
    if (room && room.roomVersion !== rv.id) throw MatrixError.incompatibleRoomVersion(room.roomVersion, `Room ${event.roomId} has version ${room.roomVersion}`);
    const joined = room?.hasState === true && (await ctx.storage.getMembers(event.roomId, 'join')).some((u) => domainOf(u) === ctx.serverName);
    if (joined) {
      const result = await inputVerifiedEvent(ctx, { kind: 'outlier', event: event.json, roomVersion: rv.id, origin: req.origin }, event);
      if (!result.accepted) throw MatrixError.forbidden(`The invite is not allowed: ${result.rejection?.reason ?? 'rejected'}`);
    } else {
      await recordOutOfRoomMembership(ctx, event);
    }
    await ctx.storage.addInvite({
      inviteEventId: event.eventId,
      roomId: event.roomId,
      targetUserId: event.stateKey!,
      sender: event.sender,
      eventJson: JSON.stringify(event.json),
      strippedState: req.inviteRoomState,
    });
    return { eventId: event.eventId, outlier: joined };
  });
}

/** An `m.room.member` invite whose target is one of our users. */
function requireLocalInvite(ctx: RoomserverInternalContext, event: RoomEvent): void {
  if (event.type !== 'm.room.member' || event.stateKey === undefined) throw MatrixError.badJson('The invite must be an m.room.member event');
  if (event.content.membership !== 'invite') throw MatrixError.badJson('The invite must have membership "invite"');
  if (domainOf(event.stateKey) !== ctx.serverName) throw MatrixError.badJson(`The invite is for ${event.stateKey}, not a user of this server`);
}
