/**
 * Which rooms a `/sync` response covers: the `RoomFilter`'s `rooms` / `not_rooms` (applied before
 * every per-section filter) and `include_leave`.
 *
 * Rooms the user left or was banned from: an incremental sync always reports a room whose
 * membership changed to leave/ban within its window, so the client learns it left (spec:
 * "Newly left rooms appear in the leave section"; Synapse and Dendrite agree). Initial and
 * `full_state` syncs list old left rooms only with `include_leave` — except rooms the user was
 * kicked or banned from by someone else, which Synapse always sends so the client can show why
 * the room went away; we follow it. Forgotten rooms are the caller's to leave out beforehand.
 */
import type { RoomFilter } from './filter-types.js';

/** The user's membership in a room, as `/sync` sorts rooms into sections. */
export type SyncMembership = 'join' | 'invite' | 'knock' | 'leave' | 'ban';

/** A room the sync core considers for a response. */
export interface SyncRoomCandidate {
  readonly roomId: string;
  /** The user's membership at the end of the response's window. */
  readonly membership: SyncMembership;
  /** The membership changed within an incremental sync's window (always false for initial syncs). */
  readonly membershipChangedInWindow: boolean;
  /** For leave: the user left on their own (sender = user) rather than being kicked. */
  readonly leftBySelf: boolean;
}

/** Whether the room passes the `RoomFilter`'s `rooms` / `not_rooms` (`not_rooms` wins). */
export function roomAllowed(roomId: string, filter: Pick<RoomFilter, 'rooms' | 'notRooms'>): boolean {
  if (filter.notRooms.includes(roomId)) return false;
  return filter.rooms === undefined || filter.rooms.includes(roomId);
}

/** The rooms of `roomIds` that pass {@link roomAllowed}, in their order. */
export function allowedRooms(roomIds: readonly string[], filter: Pick<RoomFilter, 'rooms' | 'notRooms'>): string[] {
  return roomIds.filter((r) => roomAllowed(r, filter));
}

/**
 * Whether `room` belongs in the response under `filter`. The caller chooses the candidates
 * (every room with a membership for an initial sync, rooms with changes for an incremental one);
 * this decides what the filter and the leave rules let through.
 */
export function includeRoomInSync(room: SyncRoomCandidate, filter: Pick<RoomFilter, 'rooms' | 'notRooms' | 'includeLeave'>): boolean {
  if (!roomAllowed(room.roomId, filter)) return false;
  switch (room.membership) {
    case 'join':
    case 'invite':
    case 'knock':
      return true;
    case 'leave':
    case 'ban':
      if (room.membershipChangedInWindow || filter.includeLeave) return true;
      return room.membership === 'ban' || !room.leftBySelf;
  }
}
