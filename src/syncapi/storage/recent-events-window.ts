/**
 * The newest room events in memory, in stream order: what a woken `/sync` reads. A long-poll
 * woken by a new event asks which rooms have events after its token, whether its own membership
 * changed there, and each active room's latest events — all in a range of a few positions at the
 * head of the stream. Served from here, a hundred syncs woken by one message cost no query.
 *
 * The window holds every event positioned after `floor` (bounded by `capacity`: the oldest leave
 * first and raise the floor). A range is answered only when it starts at or above the floor;
 * below it the caller reads storage. This holds only while every stored event passes through
 * {@link RecentEventsWindow.append} in position order, which the syncapi's single storage writer
 * guarantees (`cached-sync-storage.ts`).
 */
import type { MembershipEvent, RoomRange, SyncEvent } from './output-room-events-table.js';

/** The recent-events window. */
export interface RecentEventsWindow {
  /** The latest stored position (the window's end). */
  readonly latest: number;
  /** Whether every event after `after` is in the window. */
  covers(after: number): boolean;
  /** Adds a newly stored event (positions must increase). */
  append(e: SyncEvent): void;
  /** Replaces an event's JSON by its redacted form, if the window holds it. */
  redact(eventId: string, json: string): void;
  /** Rooms with events in `(after, upTo]`; call only when {@link covers}(after). */
  activeRooms(after: number, upTo: number): string[];
  /** `userId`'s member events in `(after, upTo]`, oldest first; call only when {@link covers}(after). */
  membershipEvents(userId: string, after: number, upTo: number): MembershipEvent[];
  /** The latest `limit` events of the range, oldest first; call only when {@link covers}(range.after). */
  recent(range: RoomRange, limit: number): SyncEvent[];
  /** The range's events that changed the room's state, oldest first; call only when {@link covers}(range.after). */
  stateChanges(range: RoomRange): SyncEvent[];
}

/** An empty window whose stream ends at `latest` (everything up to it is in storage). */
export function createRecentEventsWindow(latest: number, capacity: number): RecentEventsWindow {
  // `events` from `head` on, in position order; the slots before `head` are dropped in batches.
  let events: SyncEvent[] = [];
  let head = 0;
  const byRoom = new Map<string, SyncEvent[]>();
  const byId = new Map<string, SyncEvent>();
  let floor = latest;
  let end = latest;

  const evictOldest = () => {
    const e = events[head]!;
    events[head++] = undefined as unknown as SyncEvent;
    floor = e.position;
    byId.delete(e.eventId);
    const list = byRoom.get(e.roomId)!;
    list.shift();
    if (list.length === 0) byRoom.delete(e.roomId);
    if (head > 1024 && head * 2 > events.length) {
      events = events.slice(head);
      head = 0;
    }
  };
  /** Index in `list` (position-ordered, from `from`) of the first event positioned after `after`. */
  const firstAfter = (list: readonly SyncEvent[], from: number, after: number) => {
    let lo = from;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.position <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const replaceIn = (list: SyncEvent[], from: number, old: SyncEvent, next: SyncEvent) => {
    const i = firstAfter(list, from, old.position - 1);
    if (list[i] === old) list[i] = next;
  };

  return {
    get latest() {
      return end;
    },
    covers: (after) => after >= floor,
    append(e) {
      if (e.position <= end) throw new Error(`recent-events window: position ${e.position} is not after ${end}`);
      end = e.position;
      events.push(e);
      byId.set(e.eventId, e);
      const list = byRoom.get(e.roomId);
      if (list) list.push(e);
      else byRoom.set(e.roomId, [e]);
      if (events.length - head > capacity) evictOldest();
    },
    redact(eventId, json) {
      const old = byId.get(eventId);
      if (!old) return;
      const next: SyncEvent = { ...old, json };
      byId.set(eventId, next);
      replaceIn(events, head, old, next);
      replaceIn(byRoom.get(old.roomId)!, 0, old, next);
    },
    activeRooms(after, upTo) {
      const rooms = new Set<string>();
      for (let i = firstAfter(events, head, after); i < events.length && events[i]!.position <= upTo; i++) rooms.add(events[i]!.roomId);
      return [...rooms];
    },
    membershipEvents(userId, after, upTo) {
      const out: MembershipEvent[] = [];
      for (let i = firstAfter(events, head, after); i < events.length && events[i]!.position <= upTo; i++) {
        const e = events[i]!;
        if (e.type === 'm.room.member' && e.stateKey === userId) out.push({ roomId: e.roomId, eventId: e.eventId, position: e.position, membership: e.membership ?? 'leave' });
      }
      return out;
    },
    recent(range, limit) {
      const list = byRoom.get(range.roomId);
      if (!list || limit <= 0) return [];
      const start = firstAfter(list, 0, range.after);
      const stop = firstAfter(list, start, range.upTo);
      return list.slice(Math.max(start, stop - limit), stop);
    },
    stateChanges(range) {
      const list = byRoom.get(range.roomId);
      if (!list) return [];
      const out: SyncEvent[] = [];
      for (let i = firstAfter(list, 0, range.after); i < list.length && list[i]!.position <= range.upTo; i++) {
        const e = list[i]!;
        if (e.addsState.length > 0 || e.removesState.length > 0) out.push(e);
      }
      return out;
    },
  };
}
