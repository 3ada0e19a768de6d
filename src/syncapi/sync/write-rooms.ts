/**
 * Writes the `join` and `leave` sections of a response for a list of room plans, with a fixed
 * number of reads whatever the number of rooms: the timelines (`read-timelines.ts`: batched index
 * seeks, one visibility call to the roomserver), the state sections (`room-state-sections.ts`),
 * the summaries, the syncing user's membership where a timeline reaches back before their join,
 * and for `event_format: federation` the PDUs (one roomserver call).
 *
 * State rules (spec, "Syncing"): `full` sends the whole state at the start of the timeline,
 * minus events the timeline carries; `delta` sends what changed between the plan's `after` and
 * the start of the timeline — nothing unless events before its start were left out. With
 * `use_state_after`, both are taken at the timeline's end instead, timeline events included.
 */
import { transactionIdFor } from '../history/history-event.js';
import type { JsonObject } from '../../matrix/json.js';
import type { SyncRoomserverAPI } from '../../roomserver/api.js';
import { syncEventFormat } from '../filter/event-format.js';
import { syncLazyLoadOptions } from '../filter/lazy-members.js';
import type { SyncStorage } from '../storage/index.js';
import { bundleAggregations } from '../relations/bundle-aggregations.js';
import { readTimelines, type Timeline } from './read-timelines.js';
import type { StateItem } from './room-state-at.js';
import { stateSections, type LazyRecords } from './room-state-sections.js';
import { roomSummaries } from './room-summary.js';
import { prevBatchOf } from './room-timeline.js';
import { openSentMembers, type SentMembersSession } from './sent-members.js';
import { serveEvent, type EventServing } from './serve-event.js';
import type { SyncRequestContext } from './stream-provider.js';
import { joinedRoom, leftRoom } from './sync-response.js';

/** What to send of one room. */
export interface RoomPlan {
  readonly roomId: string;
  readonly section: 'join' | 'leave';
  /** The timeline covers stream positions after `after`, up to and including `upTo`. */
  readonly after: number;
  readonly upTo: number;
  readonly state: 'full' | 'delta' | 'none';
  /**
   * Events positioned before this are checked against history visibility; from it on the user
   * was joined (so their `unsigned.membership` is `join` until their own next member event).
   */
  readonly visibleFrom: number;
  /** `always`, or only when a membership event is in the response (it may have changed). */
  readonly summary: 'always' | 'if-members';
}

/** What writing rooms needs. */
export interface WriteRoomsDeps {
  readonly storage: SyncStorage;
  readonly roomserver: SyncRoomserverAPI;
}

const MEMBER = 'm.room.member';

/** Writes the sections of `plans` into `ctx.response`. */
export async function writeRooms(deps: WriteRoomsDeps, ctx: SyncRequestContext, plans: readonly RoomPlan[]): Promise<void> {
  if (plans.length === 0) return;
  const timelines = await readTimelines(deps, ctx, plans);
  const rooms = plans.map((plan) => ({ plan, timeline: timelines.get(plan.roomId)! }));
  const records = await lazyRecords(deps.storage, ctx, rooms);
  const states = await stateSections(deps, ctx, rooms, records);
  await records?.store.flush();

  const built = rooms.map(({ plan: p, timeline: t }) => {
    const state = states.get(p.roomId) ?? [];
    const members = t.events.some((e) => e.type === MEMBER) || state.some((i) => i.type === MEMBER);
    return { p, t, state, summary: p.section === 'join' && (p.summary === 'always' || members) };
  });
  const [summaries, memberships, serving, bundles] = await Promise.all([
    roomSummaries(deps.storage, ctx.userId, built.filter((b) => b.summary).map((b) => b.p.roomId)),
    timelineMemberships(deps.storage, ctx.userId, rooms),
    eventServing(deps.roomserver, ctx, built.flatMap((b) => [...b.t.events.map((e) => e.eventId), ...b.state.map((i) => i.eventId)])),
    // Bundled aggregations where the client may lack the children (spec: a `limited` timeline),
    // and where the room starts afresh for it (initial sync, a new join, `full_state`).
    bundleAggregations(deps.storage, rooms.flatMap((r) => (r.timeline.limited || r.plan.state === 'full' ? r.timeline.events : [])), ctx.userId),
  ]);

  for (const { p, t, state, summary } of built) {
    // A joined room with nothing left after filtering is not mentioned; a left room always is.
    if (p.section === 'join' && p.summary !== 'always' && t.events.length === 0 && state.length === 0) continue;
    const events = t.events.map((e) => serveEvent(e.eventId, e.roomId, e.json, { membership: memberships.get(e.eventId), transactionId: transactionIdFor(e, ctx), relations: bundles.get(e.eventId) }, serving));
    const timeline = { events, limited: t.limited, prev_batch: prevBatchOf(t.events, p.upTo) };
    const stateSection = { events: state.map((i: StateItem) => serveEvent(i.eventId, p.roomId, i.json, {}, serving)) };
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

/** The device's lazy-loading records for the plans' rooms, when the filter lazy-loads members. */
async function lazyRecords(
  storage: SyncStorage,
  ctx: SyncRequestContext,
  rooms: ReadonlyArray<{ plan: RoomPlan; timeline: Timeline }>,
): Promise<(LazyRecords & { store: SentMembersSession }) | undefined> {
  if (ctx.deviceId === undefined || !syncLazyLoadOptions(ctx.filter).enabled) return undefined;
  // `full` plans send what they need whatever was sent before, and a delta without events or a
  // gap sends no member: only the others read the records.
  const roomIds = rooms.filter((r) => r.plan.state === 'delta' && (r.timeline.events.length > 0 || r.timeline.skipped)).map((r) => r.plan.roomId);
  return { store: await openSentMembers(storage, ctx.userId, ctx.deviceId, roomIds, false), deviceId: ctx.deviceId };
}

/** The `transaction_id` of an event sent by this very device. */
/**
 * The syncing user's membership at each timeline event, their own member events applied in order.
 * From `visibleFrom` on they were joined; a timeline starting before it asks storage where it starts.
 */
async function timelineMemberships(storage: SyncStorage, userId: string, rooms: ReadonlyArray<{ plan: RoomPlan; timeline: Timeline }>): Promise<Map<string, string>> {
  const unknown = rooms.filter((r) => r.timeline.events[0] !== undefined && r.timeline.events[0].position < r.plan.visibleFrom);
  const before = await storage.membershipsAtEach(
    userId,
    unknown.map((r) => ({ roomId: r.plan.roomId, at: r.timeline.events[0]!.position - 1 })),
  );
  const out = new Map<string, string>();
  for (const { plan, timeline } of rooms) {
    const first = timeline.events[0];
    if (!first) continue;
    // No member event yet: the spec's `leave`.
    let membership = first.position < plan.visibleFrom ? (before.get(plan.roomId) ?? 'leave') : 'join';
    for (const e of timeline.events) {
      if (e.type === MEMBER && e.stateKey === userId) membership = e.membership ?? 'leave';
      out.set(e.eventId, membership);
    }
  }
  return out;
}

/** How this response serves events; the PDUs are read only for `event_format: federation`. */
async function eventServing(roomserver: SyncRoomserverAPI, ctx: SyncRequestContext, eventIds: readonly string[]): Promise<EventServing> {
  const format = syncEventFormat(ctx.filter);
  const pdus = new Map<string, JsonObject>();
  if (format.format === 'federation' && eventIds.length > 0) {
    for (const e of (await roomserver.queryEvents({ eventIds: [...new Set(eventIds)] })).events) pdus.set(e.eventId, e.event);
  }
  return { format, now: ctx.now, pdus };
}
