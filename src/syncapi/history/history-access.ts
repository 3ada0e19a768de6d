/**
 * Who may read a room's history through `/messages` and `/context`, and which events they may see.
 *
 * The room is readable by a user who is or was in it (current membership `join`, `leave` or
 * `ban`), or by anyone when it is world-readable; anyone else gets 403 `M_FORBIDDEN`, as Synapse
 * answers (an invited user included: invites show stripped state, not history). A user who left
 * reads nothing after their leave — the range ends there, so paging never scans what they could
 * not see anyway. Within the range, history visibility decides per event: events from the user's
 * current join on (after it both in the DAG and in arrival order) are theirs to see; the others
 * are asked of the roomserver's `queryEventVisibility`, one call per page.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import type { SyncEvent, SyncStateEntry, SyncStorage } from '../storage/index.js';
import { comparePoints, pointAfter, pointBefore, ROOM_END, ROOM_START, type TopologicalPoint } from './topological-point.js';

/** What reading a room's history needs. */
export interface HistoryDeps {
  readonly storage: SyncStorage;
  readonly roomserver: SyncRoomserverAPI;
}

/** One user's access to one room's history. */
export interface HistoryAccess {
  readonly roomId: string;
  readonly userId: string;
  /** The user's current join: events at or after it (and stored after it) need no visibility check. */
  readonly joinedAt: TopologicalPoint | undefined;
  /** Nothing at or after this point may be read: just after the user's leave, or the room's end. */
  readonly readableBefore: TopologicalPoint;
}

const LEFT = new Set(['leave', 'ban']);

/**
 * The access `userId` has to `roomId`'s history.
 *
 * @throws MatrixError 403 `M_FORBIDDEN` when they never were in the room and it is not world-readable.
 */
export async function historyAccess(deps: HistoryDeps, roomId: string, userId: string): Promise<HistoryAccess> {
  const member = await deps.storage.stateEntry(roomId, 'm.room.member', userId);
  if (member?.membership === 'join') {
    const [join] = await deps.storage.eventsByIds([member.eventId]);
    // A join this component never stored (its room was read whole mid-stream): ask about everything.
    return { roomId, userId, joinedAt: join ? pointBefore(join) : undefined, readableBefore: ROOM_END };
  }
  if (member !== undefined && member.membership !== null && LEFT.has(member.membership)) {
    return { roomId, userId, joinedAt: undefined, readableBefore: await pointAfterEntry(deps.storage, member) };
  }
  if (await isWorldReadable(deps.storage, roomId)) return { roomId, userId, joinedAt: undefined, readableBefore: ROOM_END };
  throw MatrixError.forbidden(`User ${userId} is not in room ${roomId}, and its history is not world-readable`);
}

/** The point just after a current state entry's event: the event itself, or the point its position had. */
async function pointAfterEntry(storage: SyncStorage, entry: SyncStateEntry): Promise<TopologicalPoint> {
  const [event] = await storage.eventsByIds([entry.eventId]);
  if (event) return pointAfter(event);
  const last = await storage.lastEventUpTo(entry.roomId, entry.addedAt);
  // Nothing stored up to it: nothing is known to have been readable.
  return last === undefined ? ROOM_START : pointAfter(last);
}

async function isWorldReadable(storage: SyncStorage, roomId: string): Promise<boolean> {
  const entry = await storage.stateEntry(roomId, 'm.room.history_visibility', '');
  if (entry === undefined) return false;
  const content = (JSON.parse(entry.json) as { content?: { history_visibility?: unknown } }).content;
  return content?.history_visibility === 'world_readable';
}

/** Whether `e` lies within what `access` may read at all (before a leave). */
export function isReadable(access: HistoryAccess, e: SyncEvent): boolean {
  return comparePoints(pointBefore(e), access.readableBefore) < 0;
}

/** The IDs of `events` hidden from the user by history visibility (one roomserver call, none when all are after their join). */
export async function hiddenEventIds(roomserver: SyncRoomserverAPI, access: HistoryAccess, events: readonly SyncEvent[]): Promise<Set<string>> {
  const ask = events.filter((e) => !isAfterJoin(access, e)).map((e) => e.eventId);
  if (ask.length === 0) return new Set();
  const { events: answers } = await roomserver.queryEventVisibility({ eventIds: ask, userId: access.userId });
  return new Set(answers.filter((v) => !v.visible).map((v) => v.eventId));
}

/** Whether `e` lies after the user's current join both in the DAG and in arrival order (theirs to see, as a member). */
export function isAfterJoin(access: HistoryAccess, e: SyncEvent): boolean {
  const j = access.joinedAt;
  return j !== undefined && e.position >= j.position && comparePoints(pointBefore(e), j) >= 0;
}
