/**
 * The timelines of a response's rooms under the filter's `room.timeline`: the latest `limit`
 * events of each room's range that pass it (types, senders, rooms, `contains_url`), without
 * those history visibility hides.
 *
 * The filter is applied after reading, with over-fetch: each room's range is read newest first in
 * pages (one batched statement per round for all rooms still short of `limit + 1` matches), up
 * to {@link MAX_ROUNDS} rounds. A timeline is `limited` when more than `limit` events matched, or
 * when the rounds ran out before the range did (more may match below; `prev_batch`, the point
 * before the first event served, lets the client page on with the same filter). An open filter
 * reads exactly `limit + 1` events, as before filters existed.
 */
import { excludesEverything, matchesEventFilter, type FilterableEvent } from '../filter/event-filter.js';
import type { TimelineFilter } from '../filter/filter-types.js';
import { roomAllowed } from '../filter/room-filter.js';
import type { SyncEvent } from '../storage/index.js';
import { hiddenEvents } from './room-timeline.js';
import type { SyncRequestContext } from './stream-provider.js';
import type { RoomPlan, WriteRoomsDeps } from './write-rooms.js';

/** Rounds of reads per response before a filtered timeline is given up as limited. */
export const MAX_ROUNDS = 3;
/** Most events read per room and round for a filtered timeline. */
export const MAX_PAGE = 200;

/** One room's timeline as served. */
export interface Timeline {
  /** Oldest first. */
  readonly events: SyncEvent[];
  readonly limited: boolean;
  /** The state is wanted after this position: just before the first event served (`upTo` when none is). */
  readonly start: number;
  /**
   * Events of the range before `start` were left out (cut by the limit, hidden, or filtered out),
   * so the state changed between the plan's `after` and `start` must be read.
   */
  readonly skipped: boolean;
}

interface Scan {
  readonly plan: RoomPlan;
  /** Matching events, newest first. */
  readonly matched: SyncEvent[];
  /** Events are read at or below this position. */
  cursor: number;
  done: boolean;
  filteredOut: boolean;
}

/** The plans' timelines, by room ID. */
export async function readTimelines(deps: WriteRoomsDeps, ctx: SyncRequestContext, plans: readonly RoomPlan[]): Promise<Map<string, Timeline>> {
  const filter = ctx.filter.room.timeline;
  const limit = filter.limit;
  const open = isOpen(filter);
  const page = open ? limit + 1 : Math.min(MAX_PAGE, Math.max(limit + 1, (limit + 1) * 4));
  const nothing = excludesEverything(filter);
  const scans = plans.map((plan): Scan => {
    const none = nothing || !roomAllowed(plan.roomId, filter);
    return { plan, matched: [], cursor: plan.upTo, done: none, filteredOut: none };
  });
  for (let round = 0; round < (open ? 1 : MAX_ROUNDS); round++) {
    const pending = scans.filter((s) => !s.done && s.cursor > s.plan.after);
    if (pending.length === 0) break;
    const read = await deps.storage.recentEvents(
      pending.map((s) => ({ roomId: s.plan.roomId, after: s.plan.after, upTo: s.cursor })),
      page,
    );
    for (const s of pending) {
      const events = read.get(s.plan.roomId) ?? [];
      for (let i = events.length - 1; i >= 0; i--) {
        const e = events[i]!;
        if (open || matchesEventFilter(filterable(e, filter), filter)) s.matched.push(e);
        else s.filteredOut = true;
      }
      if (s.matched.length > limit || events.length < page) s.done = true;
      else s.cursor = events[0]!.position - 1;
    }
  }
  const cut = scans.map((s) => ({
    s,
    events: s.matched.slice(0, limit).reverse(),
    // Rounds ran out with the range unread: there may be more.
    limited: s.matched.length > limit || (!s.done && s.cursor > s.plan.after),
  }));
  const hidden = await hiddenEvents(
    deps.roomserver,
    ctx.userId,
    cut.map((c) => ({ events: c.events, visibleFrom: c.s.plan.visibleFrom })),
  );
  const out = new Map<string, Timeline>();
  for (const c of cut) {
    const events = hidden.size === 0 ? c.events : c.events.filter((e) => !hidden.has(e.eventId));
    const hid = events.length < c.events.length;
    out.set(c.s.plan.roomId, {
      events,
      limited: c.limited,
      start: events[0] ? events[0].position - 1 : c.s.plan.upTo,
      skipped: c.limited || hid || c.s.filteredOut,
    });
  }
  return out;
}

/** Whether the filter lets every event through (no per-event test needed). */
function isOpen(f: TimelineFilter): boolean {
  return f.types === undefined && f.notTypes.length === 0 && f.senders === undefined && f.notSenders.length === 0 && f.containsUrl === undefined && f.rooms === undefined && f.notRooms.length === 0;
}

/** What the filter looks at; the content is parsed only when `contains_url` needs it. */
function filterable(e: SyncEvent, f: TimelineFilter): FilterableEvent {
  const base = { type: e.type, sender: e.sender, roomId: e.roomId };
  if (f.containsUrl === undefined) return base;
  return { ...base, content: (JSON.parse(e.json) as { content?: unknown }).content };
}
