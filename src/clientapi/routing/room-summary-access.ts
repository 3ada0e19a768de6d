/**
 * Who may see a room's summary (space hierarchy, room summary): the spec's list for
 * `/hierarchy`, which `/room_summary` reuses — a user who is joined or invited; anyone when the
 * join rule is `public`, or `knock`/`knock_restricted` in a room version that has them, or the
 * history is `world_readable`; and for a `restricted` (or `knock_restricted`) room, a user joined
 * to one of the rooms its join rule allows. A ban does not hide a public room (Synapse's rule).
 */
import type { ClientRoomserverAPI, RoomSummary } from '../../roomserver/api.js';
import { ROOM_VERSIONS } from '../../matrix/room-version.js';

/** The rooms the requester is joined to, fetched at most once per request. */
export type JoinedRoomsLookup = () => Promise<ReadonlySet<string>>;

/**
 * Whether the summary may be shown. `room.membership` must be the requester's (null when
 * unauthenticated); `joinedRooms` is only called for a restricted room the user is not in.
 */
export async function mayViewRoom(room: RoomSummary, joinedRooms: JoinedRoomsLookup): Promise<boolean> {
  if (room.membership === 'join' || room.membership === 'invite') return true;
  if (room.worldReadable) return true;
  const version = ROOM_VERSIONS.get(room.roomVersion);
  switch (room.joinRule) {
    case 'public':
      return true;
    case 'knock':
      return version?.knockSupported === true;
    case 'knock_restricted':
      return version?.knockRestrictedSupported === true;
    case 'restricted': {
      if (version?.restrictedJoinSupported !== true || room.allowedRoomIds.length === 0) return false;
      const joined = await joinedRooms();
      return room.allowedRoomIds.some((id) => joined.has(id));
    }
    default:
      return false;
  }
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
