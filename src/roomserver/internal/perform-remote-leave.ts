/**
 * Leaving a room this server is not in — rejecting an invite received over federation, or
 * rescinding a knock. The federationapi asks a server in the room (the inviter's first) for
 * `make_leave`/`send_leave`; the leave it made is then recorded here the way received invites
 * are (perform-receive-invite.ts): in the current state at the user's key, not a forward
 * extremity, so the invite is retired and sync moves the room to `leave`.
 *
 * When no server in the room can be reached the user must still be able to get rid of the
 * invite (a dead server's invites would otherwise stay forever), so, as Synapse does, the
 * leave is made locally instead: signed by us, citing the invite, never sent anywhere.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { buildEvent } from '../../matrix/build-event.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import type { JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { roomVersion } from '../../matrix/room-version.js';
import type { StoredMembership } from '../storage/index.js';
import { loadEvents } from './load-events.js';
import { recordOutOfRoomMembership } from './room-residency.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** What the leave needs: the room, the user, their current (invite or knock) membership. */
export interface RemoteLeave {
  readonly roomId: string;
  readonly userId: string;
  readonly current: StoredMembership;
  readonly content?: JsonObject;
}

/** Leaves remotely (or locally when nobody answers); the leave's event ID. */
export async function performRemoteLeave(ctx: RoomserverInternalContext, req: RemoteLeave): Promise<string> {
  const room = await ctx.storage.getRoomInfo(req.roomId);
  if (!room) throw MatrixError.notFound(`Unknown room ${req.roomId}`);
  const rv = roomVersion(room.roomVersion);
  const federation = ctx.federation();
  const servers = [domainOf(req.current.sender), domainOf(req.roomId)].filter((s): s is string => s !== undefined && s !== ctx.serverName);
  let event: RoomEvent | undefined;
  if (federation && servers.length > 0) {
    try {
      const left = await federation.performLeave({ roomId: req.roomId, userId: req.userId, serverNames: servers, content: req.content });
      event = parseEvent(left.event, roomVersion(left.roomVersion));
    } catch (e) {
      ctx.logger?.info({ roomId: req.roomId, err: e instanceof Error ? e.message : String(e) }, 'remote leave failed; leaving locally');
    }
  }
  event ??= localLeave(ctx, req, rv, (await loadEvents(ctx, [req.current.eventId])).get(req.current.eventId)?.event.depth ?? 0);
  const leave = event;
  await ctx.queue.run(req.roomId, () => recordOutOfRoomMembership(ctx, leave));
  return leave.eventId;
}

/** A leave only this server knows of: it follows the invite (or knock) it retires. */
function localLeave(ctx: RoomserverInternalContext, req: RemoteLeave, rv: ReturnType<typeof roomVersion>, inviteDepth: number): RoomEvent {
  return buildEvent(
    {
      type: 'm.room.member',
      state_key: req.userId,
      sender: req.userId,
      content: { ...(req.content ?? {}), membership: 'leave' },
      room_id: req.roomId,
      prev_events: [req.current.eventId],
      auth_events: [req.current.eventId],
      depth: inviteDepth + 1,
      origin_server_ts: ctx.now(),
    },
    rv,
    { serverName: ctx.serverName, key: ctx.signingKey },
  );
}
