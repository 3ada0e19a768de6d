/**
 * `performMembership`: invite, kick, ban, unban and leave, each one `m.room.member` event about
 * `target` sent through the ordinary send path, whose auth rules decide the power questions.
 * What the auth rules cannot tell apart is checked here against the target's current
 * membership: a "kick" of a banned user would unban them and an "unban" of a joined user would
 * kick them, because both are `leave` events; and the spec says an invite of a member is refused.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import type { PerformMembershipRequest, PerformMembershipResponse } from '../api.js';
import { performRemoteLeave } from './perform-remote-leave.js';
import { performSendEvents } from './perform-send-events.js';
import { hasLocalMember } from './room-residency.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

const MEMBERSHIP_OF: Readonly<Record<PerformMembershipRequest['action'], string>> = {
  invite: 'invite',
  leave: 'leave',
  kick: 'leave',
  ban: 'ban',
  unban: 'leave',
};

/** Sends the membership change; the event sent. */
export async function performMembership(ctx: RoomserverInternalContext, req: PerformMembershipRequest): Promise<PerformMembershipResponse> {
  const room = await ctx.storage.getRoomInfo(req.roomId);
  if (!room?.hasState) throw MatrixError.notFound(`Unknown room ${req.roomId}`);
  const current = await ctx.storage.getMembership(req.roomId, req.target);
  const was = current?.membership ?? null;
  switch (req.action) {
    case 'leave':
      if (req.target !== req.sender) throw MatrixError.invalidParam('Only the user themselves can leave');
      // Leaving twice is not an error for the client: the first leave stands.
      if (was === 'leave' && current) return { eventId: current.eventId };
      // An invite or knock for a room no user of ours is in is answered through a server that is.
      if ((was === 'invite' || was === 'knock') && current && !(await hasLocalMember(ctx, req.roomId))) {
        const content = req.reason !== undefined ? { reason: req.reason } : undefined;
        return { eventId: await performRemoteLeave(ctx, { roomId: req.roomId, userId: req.target, current, content }) };
      }
      break;
    case 'invite':
      if (was === 'join') throw MatrixError.forbidden(`${req.target} is already in the room`);
      if (was === 'ban') throw MatrixError.forbidden(`${req.target} is banned from the room`);
      break;
    case 'kick':
      if (was !== 'join' && was !== 'invite' && was !== 'knock') throw MatrixError.forbidden(`${req.target} is not in the room`);
      break;
    case 'unban':
      if (was !== 'ban') throw MatrixError.forbidden(`${req.target} is not banned`);
      break;
    case 'ban':
      break;
  }
  const content: JsonObject = {
    ...(req.content ?? {}),
    membership: MEMBERSHIP_OF[req.action],
    ...(req.reason !== undefined ? { reason: req.reason } : {}),
  };
  const { eventIds } = await performSendEvents(ctx, {
    events: [{ roomId: req.roomId, type: 'm.room.member', stateKey: req.target, sender: req.sender, content }],
  });
  return { eventId: eventIds[0]! };
}
