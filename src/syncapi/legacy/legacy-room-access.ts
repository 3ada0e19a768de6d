/**
 * Who may read one room through the legacy paths, as Synapse decides it:
 *
 * - `/events?room_id=`: a joined member reads the room's stream as their own; anyone else only
 *   when the room is world-readable now (spec, "Room Previews": peeking needs `world_readable`);
 * - `/rooms/{roomId}/initialSync`: a member, or a former member (`leave`, `ban`: the room as they
 *   left it, SPEC-216), or anyone when world-readable.
 *
 * Anyone else gets 403 `M_FORBIDDEN` (an invited user included: an invite shows stripped state,
 * not history). Which events a peeker then sees is still decided per event by history
 * visibility, so a room made private since is not read through an old world-readable state.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { SyncStateEntry, SyncStorage } from '../storage/index.js';

/** How the user may read the room. */
export type LegacyRoomAccess =
  | {
      readonly kind: 'member';
      readonly membership: 'join' | 'leave' | 'ban';
      /** The user's current member event and where it became current. */
      readonly entry: SyncStateEntry;
    }
  | { readonly kind: 'peek' };

/** Whether former members (`leave`, `ban`) read the room as they left it. */
export type DepartedMembers = 'allow' | 'deny';

/**
 * The access `userId` has to `roomId`.
 *
 * @throws MatrixError 403 `M_FORBIDDEN` (see the file comment).
 */
export async function legacyRoomAccess(storage: SyncStorage, roomId: string, userId: string, departed: DepartedMembers): Promise<LegacyRoomAccess> {
  const entry = await storage.stateEntry(roomId, 'm.room.member', userId);
  const membership = entry?.membership;
  if (entry && (membership === 'join' || (departed === 'allow' && (membership === 'leave' || membership === 'ban')))) {
    return { kind: 'member', membership, entry };
  }
  if (await isWorldReadable(storage, roomId)) return { kind: 'peek' };
  throw MatrixError.forbidden(`User ${userId} is not in room ${roomId}, and it is not world-readable`);
}

async function isWorldReadable(storage: SyncStorage, roomId: string): Promise<boolean> {
  const entry = await storage.stateEntry(roomId, 'm.room.history_visibility', '');
  if (entry === undefined) return false;
  const content = (JSON.parse(entry.json) as { content?: { history_visibility?: unknown } }).content;
  return content?.history_visibility === 'world_readable';
}
