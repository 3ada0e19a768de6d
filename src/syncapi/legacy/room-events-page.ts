/**
 * The room events of one `/events` answer: the events after a `pdu` stream position, oldest
 * first, at most `limit` of them, and the position the next answer continues after (the last
 * event returned when the page is full, else the end of the range), so a client polling with each
 * answer's `end` meets every event once.
 *
 * Across the user's rooms ({@link userRoomEventsPage}), an event is theirs when it was sent while
 * they were joined — by the user's member events in the range, a run of `join` starts with their
 * join event and ends with the event that ended it (leave, kick, ban), both included — or when it
 * is one of their own member events (an invite, a rejected invite, a ban while invited), which
 * tell the client the room came or went. Events of a join run pass history visibility by the
 * spec's rule "if the user's membership was `join`, allow", so only
 * a room-scoped page ({@link roomEventsPage}) asks the roomserver: a peeker's events (all of them:
 * the spec shows peekers only what was world-readable at the event), and a member's events from
 * before their join.
 */
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import { groupByRoom } from '../group-by-room.js';
import type { MembershipEvent, RoomRange, SyncEvent, SyncStorage, UserMembership } from '../storage/index.js';
import { hiddenEvents } from '../sync/room-timeline.js';

/** One page of room events. */
export interface RoomEventsPage {
  /** Oldest first. */
  readonly events: SyncEvent[];
  /** Every event up to this position was considered: the next page starts after it. */
  readonly upTo: number;
}

/**
 * The events of `userId`'s rooms in `(after, upTo]` (see the file comment); `memberships` are
 * their current ones.
 */
export async function userRoomEventsPage(
  storage: SyncStorage,
  userId: string,
  memberships: readonly UserMembership[],
  after: number,
  upTo: number,
  limit: number,
): Promise<RoomEventsPage> {
  if (upTo <= after || limit <= 0) return { events: [], upTo: after };
  const changes = groupByRoom(await storage.membershipEvents(userId, after, upTo));
  const prior = await storage.membershipsAt(userId, [...changes.keys()], after);
  const ranges: RoomRange[] = memberships.filter((m) => m.membership === 'join' && !changes.has(m.roomId)).map((m) => ({ roomId: m.roomId, after, upTo }));
  for (const [roomId, list] of changes) ranges.push(...joinRuns(roomId, prior.get(roomId), list, after, upTo));
  const ownIds = [...changes.values()].flat().map((m) => m.eventId);
  const [read, own] = await Promise.all([storage.earliestEvents(ranges, limit), ownIds.length === 0 ? [] : storage.eventsByIds(ownIds)]);
  const byId = new Map([...read, ...own].map((e) => [e.eventId, e]));
  const merged = [...byId.values()].sort((a, b) => a.position - b.position);
  return cut(merged, limit, upTo);
}

/**
 * The events of one room in `(after, upTo]` as `userId` may see them: those positioned from
 * `visibleFrom` on (the user's join) as they are, the others as history visibility says.
 */
export async function roomEventsPage(
  deps: { readonly storage: SyncStorage; readonly roomserver: SyncRoomserverAPI },
  userId: string,
  roomId: string,
  visibleFrom: number,
  after: number,
  upTo: number,
  limit: number,
): Promise<RoomEventsPage> {
  if (upTo <= after || limit <= 0) return { events: [], upTo: after };
  const read = await deps.storage.earliestEvents([{ roomId, after, upTo }], limit);
  const hidden = await hiddenEvents(deps.roomserver, userId, [{ events: read, visibleFrom }]);
  const page = cut(read, limit, upTo);
  return { events: page.events.filter((e) => !hidden.has(e.eventId)), upTo: page.upTo };
}

/**
 * The ranges of `roomId` in which the user was joined, from their membership at `after` and
 * their member events in the range (oldest first): each from its join event (or `after`) to the
 * event that ended it (or `upTo`), both included.
 */
export function joinRuns(roomId: string, prior: string | undefined, list: readonly MembershipEvent[], after: number, upTo: number): RoomRange[] {
  const runs: RoomRange[] = [];
  let start: number | undefined = prior === 'join' ? after : undefined;
  for (const m of list) {
    if (m.membership === 'join' && start === undefined) start = m.position - 1;
    else if (m.membership !== 'join' && start !== undefined) {
      runs.push({ roomId, after: start, upTo: m.position });
      start = undefined;
    }
  }
  if (start !== undefined) runs.push({ roomId, after: start, upTo });
  return runs;
}

/** The first `limit` of `events` (sorted), and where the next page starts. */
function cut(events: readonly SyncEvent[], limit: number, upTo: number): RoomEventsPage {
  // A full page may have more behind it: the next one starts after its last event.
  if (events.length < limit) return { events: [...events], upTo };
  const kept = events.slice(0, limit);
  return { events: kept, upTo: kept.at(-1)!.position };
}
