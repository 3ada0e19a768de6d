/**
 * Who may see a room's summary, the one rule behind the client `/hierarchy` and `/room_summary`
 * (a user asking) and the federation `/hierarchy` (a server asking). The spec's list: anyone when
 * the history is `world_readable`, or the join rule is `public`, or `knock`/`knock_restricted` in
 * a room version that has them; someone in the room (a joined or invited user, a server with
 * joined members); and for a `restricted` room, someone in one of the rooms its join rule allows.
 * A ban does not hide a public room (Synapse's rule).
 */
import { ROOM_VERSIONS } from '../../matrix/room-version.js';
import type { RoomSummary } from '../../roomserver/api.js';

/** The viewer, asked lazily: each answer may cost a query, and open rooms need none. */
export interface SummaryViewer {
  /** Whether the viewer is in the room (a user joined or invited; a server with joined members). */
  isInRoom(): Promise<boolean>;
  /** Whether the viewer is in one of these rooms (a restricted join rule's allow list, never empty). */
  isInAnyOf(roomIds: readonly string[]): Promise<boolean>;
}

/** Whether `viewer` may see the summary of `room`. */
export async function mayViewSummary(room: RoomSummary, viewer: SummaryViewer): Promise<boolean> {
  if (isOpenToAnyone(room)) return true;
  if (await viewer.isInRoom()) return true;
  const allowed = restrictedAllowList(room);
  return allowed.length > 0 && viewer.isInAnyOf(allowed);
}

/** World-readable, or a join rule anyone may join or knock through in the room's version. */
export function isOpenToAnyone(room: RoomSummary): boolean {
  if (room.worldReadable) return true;
  const version = ROOM_VERSIONS.get(room.roomVersion);
  switch (room.joinRule) {
    case 'public':
      return true;
    case 'knock':
      return version?.knockSupported === true;
    case 'knock_restricted':
      return version?.knockRestrictedSupported === true;
    default:
      return false;
  }
}

/** The rooms whose members may see a `restricted` room (none for any other rule, or a version without it). */
function restrictedAllowList(room: RoomSummary): readonly string[] {
  if (room.joinRule !== 'restricted') return [];
  return ROOM_VERSIONS.get(room.roomVersion)?.restrictedJoinSupported === true ? room.allowedRoomIds : [];
}
