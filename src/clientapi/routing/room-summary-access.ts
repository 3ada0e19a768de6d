/**
 * Who may see a room's summary (space hierarchy, room summary), for a user: the rule shared with
 * federation (`internal/roomsummary/summary-visibility.ts`), with the user in the room when
 * joined or invited, and in an allowed room when joined to it.
 */
import type { ClientRoomserverAPI, RoomSummary } from '../../roomserver/api.js';
import { mayViewSummary } from '../../internal/roomsummary/summary-visibility.js';

/** The rooms the requester is joined to, fetched at most once per request. */
export type JoinedRoomsLookup = () => Promise<ReadonlySet<string>>;

/**
 * Whether the summary may be shown (the rule is `mayViewSummary`). `room.membership` must be the
 * requester's (null when unauthenticated); `joinedRooms` is only called for a restricted room the
 * user is not in.
 */
export function mayViewRoom(room: RoomSummary, joinedRooms: JoinedRoomsLookup): Promise<boolean> {
  return mayViewSummary(room, {
    isInRoom: async () => room.membership === 'join' || room.membership === 'invite',
    isInAnyOf: async (roomIds) => {
      const joined = await joinedRooms();
      return roomIds.some((id) => joined.has(id));
    },
  });
}

/** A {@link JoinedRoomsLookup} for `userId` (none joined when undefined), asking the roomserver once. */
export function joinedRoomsOnce(rs: ClientRoomserverAPI, userId: string | undefined): JoinedRoomsLookup {
  let pending: Promise<ReadonlySet<string>> | undefined;
  return () => {
    if (userId === undefined) return Promise.resolve(new Set<string>());
    pending ??= rs.queryRoomsForUser({ userId, membership: 'join' }).then((r) => new Set(r.roomIds));
    return pending;
  };
}
