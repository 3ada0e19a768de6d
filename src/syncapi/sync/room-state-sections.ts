/**
 * The state section of each room of a response, under the filter's `room.state` and lazy-loading.
 *
 * The point: the timeline's start (`state`), or its end with `use_state_after` (`state_after`,
 * whose events clients take instead of the timeline's, so it keeps those too).
 * - `full` plans: the whole state at the point (minus the timeline's events for `state`).
 * - `delta` plans: the entries that events between the plan's `after` and the point put there
 *   and that are still there: nothing when the timeline holds every event of that range (for
 *   `state`, when nothing before its start was left out); from the timeline's own state events
 *   when it holds the whole range (`state_after`); else from one read of the range's state changes.
 *
 * Lazy-loading (`room.state.lazy_load_members`): member events only for the timeline's senders
 * (and the syncing user, in `full` plans: the spec requires it on joins and full state), minus
 * those the device already has unless `include_redundant_members`; a delta's own member events are
 * always kept ("membership events in the gap", spec). The whole state at the point is read only
 * for rooms where a sender may be missing from the device's record.
 */
import { matchesEventFilter, type FilterableEvent } from '../filter/event-filter.js';
import type { RoomEventFilter } from '../filter/filter-types.js';
import { selectLazyMembers, syncLazyLoadOptions, type SentMembers, type SentMembersStore } from '../filter/lazy-members.js';
import type { SyncEvent } from '../storage/index.js';
import type { Timeline } from './read-timelines.js';
import { lookUp, roomStatesAt, type RoomState, type StateItem } from './room-state-at.js';
import type { SyncRequestContext } from './stream-provider.js';
import type { RoomPlan, WriteRoomsDeps } from './write-rooms.js';

const MEMBER = 'm.room.member';

/** One room's inputs. */
export interface StatePlan {
  readonly plan: RoomPlan;
  readonly timeline: Timeline;
}

/** The device's lazy-loading records (absent: no device, every member is sent). */
export interface LazyRecords {
  readonly store: SentMembersStore;
  readonly deviceId: string;
}

/** Each room's state section, by room ID (rooms with plan state `none` left out). */
export async function stateSections(deps: WriteRoomsDeps, ctx: SyncRequestContext, rooms: readonly StatePlan[], records: LazyRecords | undefined): Promise<Map<string, StateItem[]>> {
  const lazy = syncLazyLoadOptions(ctx.filter);
  const withState = rooms.filter((r) => r.plan.state !== 'none');
  const pointOf = (r: StatePlan) => (ctx.useStateAfter ? r.plan.upTo : r.timeline.start);
  const recordOf = (r: StatePlan) => (records ? records.store.get(ctx.userId, records.deviceId, r.plan.roomId) : undefined);

  const deltas = await deltaEventIds(deps, ctx, withState.filter((r) => r.plan.state === 'delta'));
  const whole = withState.filter((r) => r.plan.state === 'full' || (lazy.enabled && sendersMissing(r.timeline.events, recordOf(r), lazy.includeRedundant)));
  const states = await roomStatesAt(deps, whole.map((r) => ({ roomId: r.plan.roomId, at: pointOf(r) })));
  // Delta rooms whose whole state was not read: only their changed entries, by ID.
  const deltaItems = await lookUp(deps, withState.filter((r) => r.plan.state === 'delta' && !states.has(r.plan.roomId)).flatMap((r) => [...(deltas.get(r.plan.roomId) ?? [])]));

  const out = new Map<string, StateItem[]>();
  for (const r of withState) {
    const roomId = r.plan.roomId;
    const state = states.get(roomId);
    let items: StateItem[];
    if (r.plan.state === 'full') items = [...(state?.values() ?? [])];
    else {
      const ids = deltas.get(roomId) ?? new Set<string>();
      const byId = state ? new Map([...state.values()].map((i) => [i.eventId, i])) : deltaItems;
      items = [...ids].flatMap((id) => byId.get(id) ?? []);
    }
    if (!ctx.useStateAfter) {
      const inTimeline = new Set(r.timeline.events.map((e) => e.eventId));
      items = items.filter((i) => !inTimeline.has(i.eventId));
    }
    if (lazy.enabled) items = lazyItems(ctx, r, items, state, recordOf(r), lazy.includeRedundant, records);
    out.set(roomId, filterState(items, roomId, ctx.filter.room.state));
  }
  return out;
}

/**
 * Per delta room, the IDs of the entries events of `(after, point]` put into its state that are
 * still there at the point, in the order they came; rooms with none left out.
 */
async function deltaEventIds(deps: WriteRoomsDeps, ctx: SyncRequestContext, rooms: readonly StatePlan[]): Promise<Map<string, Set<string>>> {
  const fromTimeline: StatePlan[] = [];
  const ranges: Array<{ roomId: string; after: number; upTo: number }> = [];
  for (const r of rooms) {
    if (!r.timeline.skipped) {
      // The timeline holds the whole range: `state` has nothing to add; `state_after` its state events.
      if (ctx.useStateAfter) fromTimeline.push(r);
    } else {
      const upTo = ctx.useStateAfter ? r.plan.upTo : r.timeline.start;
      if (upTo > r.plan.after) ranges.push({ roomId: r.plan.roomId, after: r.plan.after, upTo });
    }
  }
  const changes: SyncEvent[] = [...fromTimeline.flatMap((r) => r.timeline.events.filter((e) => e.addsState.length > 0 || e.removesState.length > 0)), ...(await deps.storage.stateChanges(ranges))];
  const out = new Map<string, Set<string>>();
  for (const c of changes) {
    const ids = out.get(c.roomId) ?? new Set<string>();
    for (const id of c.removesState) ids.delete(id);
    for (const id of c.addsState) {
      // Re-added: moves to the end, after what it replaced.
      ids.delete(id);
      ids.add(id);
    }
    out.set(c.roomId, ids);
  }
  for (const [roomId, ids] of out) if (ids.size === 0) out.delete(roomId);
  return out;
}

/** Whether a timeline sender may lack a member event on the device, so the state must be read. */
function sendersMissing(events: readonly SyncEvent[], record: SentMembers | undefined, includeRedundant: boolean): boolean {
  if (events.length === 0) return false;
  if (includeRedundant || record === undefined) return true;
  return events.some((e) => !Object.hasOwn(record, e.sender));
}

/** The lazy-loading cut of one room's items, recording what the device now has. */
function lazyItems(
  ctx: SyncRequestContext,
  r: StatePlan,
  items: readonly StateItem[],
  state: RoomState | undefined,
  record: SentMembers | undefined,
  includeRedundant: boolean,
  records: LazyRecords | undefined,
): StateItem[] {
  const full = r.plan.state === 'full';
  // A delta's member events are sent whatever the record says, and the device then has them.
  const deltaMembers = full ? [] : items.filter((i) => i.type === MEMBER);
  const alreadySent: SentMembers = deltaMembers.length === 0 ? (record ?? {}) : { ...record, ...Object.fromEntries(deltaMembers.map((m) => [m.stateKey, m.eventId])) };
  const memberEventIds = new Map<string, string>();
  for (const i of state?.values() ?? []) if (i.type === MEMBER) memberEventIds.set(i.stateKey, i.eventId);
  const result = selectLazyMembers({
    timeline: r.timeline.events.map((e) => ({ eventId: e.eventId, type: e.type, sender: e.sender, stateKey: e.stateKey ?? undefined })),
    memberEventIds,
    syncingUserId: full ? ctx.userId : undefined,
    alreadySent: records && !full ? alreadySent : undefined,
    includeRedundant,
  });
  // The record changes only with members the device did not have (usually none once a room's senders are known).
  const learnt = Object.entries(result.sent).some(([u, id]) => alreadySent[u] !== id);
  if (records && (full || learnt || alreadySent !== record)) records.store.set(ctx.userId, records.deviceId, r.plan.roomId, full ? result.sent : { ...alreadySent, ...result.sent });
  const chosen = new Set(result.eventIds);
  const kept = items.filter((i) => i.type !== MEMBER || chosen.has(i.eventId) || !full);
  const have = new Set(kept.map((i) => i.eventId));
  // Senders' member events the delta did not carry come from the state read for them.
  const byId = new Map([...(state?.values() ?? [])].map((i) => [i.eventId, i]));
  for (const id of result.eventIds) {
    const item = byId.get(id);
    if (item && !have.has(id)) kept.push(item);
  }
  return kept;
}

/** The items passing the `room.state` filter. */
function filterState(items: readonly StateItem[], roomId: string, filter: RoomEventFilter): StateItem[] {
  const needsBody = filter.senders !== undefined || filter.notSenders.length > 0 || filter.containsUrl !== undefined;
  return items.filter((i) => {
    const e: FilterableEvent = needsBody ? { ...(JSON.parse(i.json) as { sender?: string; content?: unknown }), type: i.type, roomId } : { type: i.type, roomId };
    return matchesEventFilter(e, filter);
  });
}
