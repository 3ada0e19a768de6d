/**
 * A joined room's `summary`: `m.heroes` (the first five joined or invited members other than the
 * user, in the order they arrived; the left and banned ones when there are none) and the joined
 * and invited member counts, from current state in three statements for any number of rooms.
 */
import type { SyncStorage } from '../storage/index.js';
import type { RoomSummarySection } from './sync-response.js';

/** How many heroes the spec asks for. */
export const HERO_COUNT = 5;

/** The summaries of `roomIds` for `userId`. */
export async function roomSummaries(storage: SyncStorage, userId: string, roomIds: readonly string[]): Promise<Map<string, RoomSummarySection>> {
  const out = new Map<string, RoomSummarySection>();
  if (roomIds.length === 0) return out;
  const [counts, heroes] = await Promise.all([storage.memberCounts(roomIds), storage.firstMembers(roomIds, ['join', 'invite'], userId, HERO_COUNT)]);
  const lonely = roomIds.filter((r) => (heroes.get(r)?.length ?? 0) === 0);
  const former = await storage.firstMembers(lonely, ['leave', 'ban'], userId, HERO_COUNT);
  for (const roomId of roomIds) {
    const c = counts.get(roomId) ?? { joined: 0, invited: 0 };
    out.set(roomId, {
      'm.heroes': heroes.get(roomId) ?? former.get(roomId) ?? [],
      'm.joined_member_count': c.joined,
      'm.invited_member_count': c.invited,
    });
  }
  return out;
}
