/**
 * Writes the `join` and `leave` sections of a response for a list of room plans, with a fixed
 * number of reads whatever the number of rooms: the timelines (one index seek per room, batched),
 * one visibility call to the roomserver, the state at the timelines' starts and the gaps' state
 * changes, and the summaries.
 *
 * State rules (spec, "Syncing"): `full` sends the whole state at the start of the timeline,
 * minus events the timeline carries; `delta` sends what changed between the plan's `after` and
 * the start of the timeline — nothing unless the timeline is limited (or hid events at its start),
 * otherwise the entries of the start state that an event of the gap put there.
 */
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import type { RoomRange, SyncEvent, SyncStorage } from '../storage/index.js';
import { roomStatesAt, type StateItem } from './room-state-at.js';
import { roomSummaries } from './room-summary.js';
import { hiddenEvents, prevBatchOf, servedEvent } from './room-timeline.js';
import type { SyncRequestContext } from './stream-provider.js';
import { rawJson } from './raw-json.js';
import { joinedRoom, leftRoom } from './sync-response.js';

/** What to send of one room. */
export interface RoomPlan {
  readonly roomId: string;
  readonly section: 'join' | 'leave';
  /** The timeline covers stream positions after `after`, up to and including `upTo`. */
  readonly after: number;
  readonly upTo: number;
  readonly state: 'full' | 'delta' | 'none';
  /** Events positioned before this are checked against history visibility. */
  readonly visibleFrom: number;
  /** `always`, or only when a membership event is in the response (it may have changed). */
  readonly summary: 'always' | 'if-members';
}

/** What writing rooms needs. */
export interface WriteRoomsDeps {
  readonly storage: SyncStorage;
  readonly roomserver: SyncRoomserverAPI;
}

interface Timeline {
  readonly events: SyncEvent[];
  readonly limited: boolean;
  /** The state is wanted after this position: just before the first event served. */
  readonly start: number;
  /** Events were left out at the start for history visibility (the gap before `start` grew). */
  readonly hid: boolean;
}

/** Writes the sections of `plans` into `ctx.response`. */
export async function writeRooms(deps: WriteRoomsDeps, ctx: SyncRequestContext, plans: readonly RoomPlan[]): Promise<void> {
  if (plans.length === 0) return;
  const timelines = await readTimelines(deps, ctx, plans);
  const wantState = plans.filter((p) => p.state === 'full' || (p.state === 'delta' && needsDelta(p, timelines.get(p.roomId)!)));
  const states = await roomStatesAt(deps, wantState.map((p) => ({ roomId: p.roomId, at: timelines.get(p.roomId)!.start })));
  const gapAdds = await gapStateAdds(deps.storage, wantState.filter((p) => p.state === 'delta').map((p) => ({ roomId: p.roomId, after: p.after, upTo: timelines.get(p.roomId)!.start })));

  const stateOf = (p: RoomPlan, t: Timeline): StateItem[] => {
    const state = states.get(p.roomId);
    if (!state) return [];
    const inTimeline = new Set(t.events.map((e) => e.eventId));
    const adds = gapAdds.get(p.roomId);
    return [...state.values()].filter((i) => !inTimeline.has(i.eventId) && (p.state === 'full' || adds?.has(i.eventId) === true));
  };
  const built = plans.map((p) => {
    const t = timelines.get(p.roomId)!;
    const state = stateOf(p, t);
    const members = t.events.some((e) => e.type === 'm.room.member') || state.some((i) => i.type === 'm.room.member');
    return { p, t, state, summary: p.section === 'join' && (p.summary === 'always' || members) };
  });
  const summaries = await roomSummaries(deps.storage, ctx.userId, built.filter((b) => b.summary).map((b) => b.p.roomId));

  for (const { p, t, state, summary } of built) {
    if (p.summary !== 'always' && t.events.length === 0 && state.length === 0) continue;
    const timeline = { events: t.events.map((e) => servedEvent(e, ctx.userId, ctx.deviceId)), limited: t.limited, prev_batch: prevBatchOf(t.events, p.upTo) };
    const stateSection = { events: state.map((i) => rawJson(i.json)) };
    if (p.section === 'leave') {
      Object.assign(leftRoom(ctx.response, p.roomId), { timeline, state: stateSection });
      continue;
    }
    const room = joinedRoom(ctx.response, p.roomId);
    Object.assign(room, { timeline, state: stateSection });
    const s = summaries.get(p.roomId);
    if (summary && s) room.summary = s;
  }
}

/** The plans' timelines: the latest events of each range, limited, without what the user may not see. */
async function readTimelines(deps: WriteRoomsDeps, ctx: SyncRequestContext, plans: readonly RoomPlan[]): Promise<Map<string, Timeline>> {
  const limit = ctx.filter.timelineLimit;
  const recent = await deps.storage.recentEvents(
    plans.map((p) => ({ roomId: p.roomId, after: p.after, upTo: p.upTo })),
    limit + 1,
  );
  const cut = new Map(
    plans.map((p) => {
      const all = recent.get(p.roomId) ?? [];
      return [p.roomId, { events: all.length > limit ? all.slice(all.length - limit) : all, limited: all.length > limit }] as const;
    }),
  );
  const hidden = await hiddenEvents(
    deps.roomserver,
    ctx.userId,
    plans.map((p) => ({ events: cut.get(p.roomId)!.events, visibleFrom: p.visibleFrom })),
  );
  const out = new Map<string, Timeline>();
  for (const p of plans) {
    const c = cut.get(p.roomId)!;
    const events = hidden.size === 0 ? c.events : c.events.filter((e) => !hidden.has(e.eventId));
    out.set(p.roomId, { events, limited: c.limited, start: events[0] ? events[0].position - 1 : p.upTo, hid: events.length < c.events.length });
  }
  return out;
}

/** Per room, the event IDs that events of its gap (a position range) put into its state. */
async function gapStateAdds(storage: SyncStorage, gaps: readonly RoomRange[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const c of await storage.stateChanges(gaps)) {
    const set = out.get(c.roomId) ?? new Set<string>();
    for (const id of c.addsState) set.add(id);
    out.set(c.roomId, set);
  }
  return out;
}

/**
 * Whether a `delta` plan has events between `after` and its timeline: only when the timeline was
 * cut (limited) or lost events to visibility; otherwise every event of the range is in it.
 */
function needsDelta(p: RoomPlan, t: Timeline): boolean {
  return (t.limited || t.hid) && t.start > p.after;
}
