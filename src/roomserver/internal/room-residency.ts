/**
 * Whether this server is in a room — so a local user's membership change can be built on our
 * copy of it — or must ask a server that is (make_join, make_knock, make_leave), and how a
 * membership that came from outside the room's DAG (a received invite, a knock or leave made
 * through another server) is recorded here.
 */
import { stateMapKey, type RoomEvent } from '../../matrix/room-event.js';
import { persistEvent } from './persist-event.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** A user of this server is joined to the room now. */
export async function hasLocalMember(ctx: RoomserverInternalContext, roomId: string): Promise<boolean> {
  return (await ctx.storage.getJoinedServers(roomId)).includes(ctx.serverName);
}

/**
 * A membership event can be built on our copy of the room: a user of ours is joined, or nobody
 * anywhere is (a room everyone left can only be rejoined here) and our copy is a real room
 * state — not just an invite or knock recorded for a room we were never in.
 */
export async function canSendLocally(ctx: RoomserverInternalContext, roomId: string): Promise<boolean> {
  const servers = await ctx.storage.getJoinedServers(roomId);
  if (servers.includes(ctx.serverName)) return true;
  if (servers.length > 0) return false;
  const create = await ctx.storage.getStateEvents({ currentOf: roomId }, { tuples: [['m.room.create', '']] });
  return (create?.length ?? 0) > 0;
}

/**
 * Records a member event of a room we are not in: stored with no state before it (we do not
 * hold the room's DAG), put in the current state at its user's key so membership queries and
 * sync see it, and never made a forward extremity (nothing we build may cite it). The
 * `OutputRoomEvent` goes out as for any head move. Call inside the room's queue.
 */
export async function recordOutOfRoomMembership(ctx: RoomserverInternalContext, event: RoomEvent): Promise<void> {
  const room = await ctx.storage.getRoomInfo(event.roomId);
  await persistEvent(ctx, {
    event,
    stateBefore: {},
    updateHead: {
      currentState: { base: { current: true }, changes: new Map([[stateMapKey(event.type, event.stateKey ?? ''), event.eventId]]) },
      forwardExtremities: room?.forwardExtremities ?? [],
    },
  });
}
