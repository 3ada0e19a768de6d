/**
 * The rooms a user's search covers: those they are in or have been in (spec: "all rooms that the
 * user has been in, including those that they have left") — current membership `join`, `leave`
 * or `ban`, as `/messages` lets read (`history/history-access.ts`) — but never those they forgot,
 * nor invites and knocks (which show stripped state, not history). A left room is searched up
 * to the position of the user's leave only, so nothing after it is even counted. Then the
 * filter's `rooms` / `not_rooms` and a group token's room apply.
 */
import { roomAllowed, type RoomEventFilter } from '../filter/index.js';
import type { HistoryDeps } from '../history/history-access.js';
import type { SearchScope } from './search-token.js';

/** A room to search. */
export interface SearchRoom {
  readonly roomId: string;
  /** The last stream position searched: the user's leave, or the search's latest position. */
  readonly upTo: number;
  /** The user left or was banned: the room's state is shown as it was at their leave. */
  readonly left: boolean;
}

/** The rooms `userId` may search, each bounded by `maxPosition` (see the file comment). */
export async function searchableRooms(deps: HistoryDeps, userId: string, filter: RoomEventFilter, scope: SearchScope, maxPosition: number): Promise<SearchRoom[]> {
  const wanted = (roomId: string) => roomAllowed(roomId, filter) && (scope.roomId === undefined || scope.roomId === roomId);
  const rooms: SearchRoom[] = [];
  for (const m of await deps.storage.userMemberships(userId)) {
    if (!wanted(m.roomId)) continue;
    if (m.membership === 'join') rooms.push({ roomId: m.roomId, upTo: maxPosition, left: false });
    else if (m.membership === 'leave' || m.membership === 'ban') rooms.push({ roomId: m.roomId, upTo: Math.min(m.addedAt, maxPosition), left: true });
  }
  if (!rooms.some((r) => r.left)) return rooms;
  const forgotten = new Set((await deps.roomserver.queryForgottenRooms({ userId })).roomIds);
  return rooms.filter((r) => !(r.left && forgotten.has(r.roomId)));
}
