/**
 * `performJoin`: a local user joins a room by room ID or alias. When a local user is already
 * joined here, the join is an ordinary local send whose auth rules enforce the join rules (an
 * invite-only room without an invite is `M_FORBIDDEN`). Otherwise this server is not in the
 * room, and the federationapi joins through another server (make_join/send_join): the servers
 * the client named, those of the alias, the server of the user's invite, the room ID's server.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import type { PerformJoinRequest, PerformJoinResponse } from '../api.js';
import { performSendEvents } from './perform-send-events.js';
import { resolveRoom } from './resolve-room-id.js';
import { canSendLocally } from './room-residency.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Sends the user's join; the room ID and the join event's ID. */
export async function performJoin(ctx: RoomserverInternalContext, req: PerformJoinRequest): Promise<PerformJoinResponse> {
  const { roomId, servers } = await resolveRoom(ctx, req.roomIdOrAlias);
  const room = await ctx.storage.getRoomInfo(roomId);
  const content = { ...(req.content ?? {}), membership: 'join' };
  if (room?.hasState && (await canSendLocally(ctx, roomId))) {
    if (req.isGuest === true) await requireGuestAccess(ctx, roomId);
    const { eventIds } = await performSendEvents(ctx, {
      events: [{ roomId, type: 'm.room.member', stateKey: req.userId, sender: req.userId, content }],
    });
    return { roomId, eventId: eventIds[0]! };
  }
  const federation = ctx.federation();
  if (!federation) throw MatrixError.notFound(`Room ${roomId} is not known to this server, and it does not federate`);
  // Guests never join over federation: the remote room's guest access is not ours to judge.
  if (req.isGuest === true) throw MatrixError.guestAccessForbidden('Guests may not join rooms on other servers');
  const invite = room?.hasState ? await ctx.storage.getMembership(roomId, req.userId) : undefined;
  const inviter = invite?.membership === 'invite' ? domainOf(invite.sender) : undefined;
  const candidates = [...(req.serverNames ?? []), ...servers, ...(inviter ? [inviter] : []), ...roomIdServer(roomId)];
  const { eventId } = await federation.performJoin({ roomId, userId: req.userId, serverNames: candidates, content });
  return { roomId, eventId };
}

/** The server in a v1–v11 room ID (`!x:server`); v12 room IDs name no server. */
function roomIdServer(roomId: string): string[] {
  const d = domainOf(roomId);
  return d === undefined ? [] : [d];
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
