/**
 * `queryEventVisibility`: which of a batch of events a user, a server or an anonymous reader may
 * see, by the history visibility rules (`history-visibility.ts`) applied to the state before
 * each event. The batch costs a handful of reads whatever its size: the events, the few state
 * keys at each (events sharing a snapshot share one read), the state events those name (through
 * the parsed-event cache), and per room at most one look at the user's joins. A server's
 * members are read only for events whose setting is `invited` or `joined`.
 */
import { domainOf } from '../../matrix/ids/domain-of.js';
import type { JsonObject } from '../../matrix/json.js';
import { splitStateKey, stateMapKey } from '../../matrix/room-event.js';
import type { EventVisibility, QueryEventVisibilityRequest, QueryEventVisibilityResponse } from '../api.js';
import type { StoredEvent } from '../storage/index.js';
import {
  historyVisibilityOf,
  isVisibleToServer,
  isVisibleToUser,
  membershipOf,
  membershipsFor,
  visibilitiesFor,
  type HistoryVisibility,
  type VisibilitySubject,
} from './history-visibility.js';
import { loadEvents } from './load-events.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

const HISTORY_KEY = stateMapKey('m.room.history_visibility', '');

/** An event of the batch that can be judged: stored with state, not rejected or soft-failed. */
interface Candidate extends VisibilitySubject {
  readonly eventId: string;
  readonly roomId: string;
  readonly depth: number;
  /** The setting in the state before it. */
  readonly before: HistoryVisibility;
}

/** One answer per event asked, in order (see {@link QueryEventVisibilityResponse}). */
export async function queryEventVisibility(ctx: RoomserverInternalContext, req: QueryEventVisibilityRequest): Promise<QueryEventVisibilityResponse> {
  const stored = await ctx.storage.getEvents([...new Set(req.eventIds)]);
  const served = stored.filter((e) => !e.rejected && !e.softFailed);
  const visible = new Set<string>();
  // An outlier has no state to judge it by; the user's own membership (an invite received out
  // of band, its rejection) is theirs to see all the same.
  for (const e of served) if (e.outlier && req.userId !== undefined && e.type === 'm.room.member' && e.stateKey === req.userId) visible.add(e.eventId);
  const withState = served.filter((e) => !e.outlier);
  const userKey = req.userId !== undefined ? stateMapKey('m.room.member', req.userId) : undefined;
  const states = await ctx.storage.getStatesBefore(
    withState.map((e) => e.eventId),
    { tuples: userKey !== undefined ? [['m.room.history_visibility', ''], ['m.room.member', req.userId!]] : [['m.room.history_visibility', '']] },
  );
  const contents = await stateContents(ctx, states);
  const candidates = withState.flatMap((e): Candidate[] => {
    const state = states.get(e.eventId);
    if (!state) return [];
    const before = historyVisibilityOf(contentAt(contents, state, HISTORY_KEY));
    return [{ eventId: e.eventId, roomId: e.roomId, depth: e.depth, type: e.type, stateKey: e.stateKey, content: contentOf(e), before }];
  });
  if (req.userId !== undefined) {
    const member = (c: Candidate) => membershipOf(contentAt(contents, states.get(c.eventId)!, userKey!));
    for (const id of await visibleToUser(ctx, req.userId, candidates, member)) visible.add(id);
  } else if (req.serverName !== undefined) {
    for (const id of await visibleToServer(ctx, req.serverName, candidates)) visible.add(id);
  } else {
    for (const c of candidates) if (isVisibleToUser({ visibilities: visibilitiesFor(c, c.before), memberships: [null], joinedAfter: false })) visible.add(c.eventId);
  }
  return { events: req.eventIds.map((eventId): EventVisibility => ({ eventId, visible: visible.has(eventId) })) };
}

/** The candidates `userId` may see; `membershipAt` is their membership in the state before one. */
async function visibleToUser(
  ctx: RoomserverInternalContext,
  userId: string,
  candidates: readonly Candidate[],
  membershipAt: (c: Candidate) => string | null,
): Promise<string[]> {
  // "Joined at any point after the event": asked once per room, and only when it can matter.
  const joinedSince = new Map<string, Promise<(depth: number) => boolean>>();
  const joinedAfter = (c: Candidate): Promise<boolean> => {
    let test = joinedSince.get(c.roomId);
    if (!test) {
      test = laterJoinTest(ctx, c.roomId, userId);
      joinedSince.set(c.roomId, test);
    }
    return test.then((t) => t(c.depth));
  };
  const out: string[] = [];
  for (const c of candidates) {
    const visibilities = visibilitiesFor(c, c.before);
    const memberships = membershipsFor(c, userId, membershipAt(c));
    if (isVisibleToUser({ visibilities, memberships, joinedAfter: false })) out.push(c.eventId);
    else if (visibilities.includes('shared') && isVisibleToUser({ visibilities, memberships, joinedAfter: await joinedAfter(c) })) out.push(c.eventId);
  }
  return out;
}

/**
 * Whether the user joined after an event of a given depth: they are joined now, or one of their
 * accepted join events lies deeper in the DAG than it.
 */
async function laterJoinTest(ctx: RoomserverInternalContext, roomId: string, userId: string): Promise<(depth: number) => boolean> {
  const [current, deepest] = await Promise.all([ctx.storage.getMembership(roomId, userId), ctx.storage.getLatestJoinDepth(roomId, userId)]);
  if (current?.membership === 'join') return () => true;
  return (depth) => deepest !== undefined && deepest > depth;
}

/** The candidates `serverName` may see; its users' memberships are read only where the setting needs them. */
async function visibleToServer(ctx: RoomserverInternalContext, serverName: string, candidates: readonly Candidate[]): Promise<string[]> {
  const out: string[] = [];
  const needMembers: Candidate[] = [];
  for (const c of candidates) {
    if (isVisibleToServer({ visibilities: visibilitiesFor(c, c.before), memberships: [] })) out.push(c.eventId);
    else needMembers.push(c);
  }
  if (needMembers.length === 0) return out;
  const members = await ctx.storage.getStatesBefore(
    needMembers.map((c) => c.eventId),
    { types: ['m.room.member'] },
  );
  // Only the server's own users matter: their member events are the only ones loaded.
  const ours = new Map<string, string[]>();
  for (const [eventId, state] of members) {
    ours.set(eventId, [...state].filter(([key]) => domainOf(splitStateKey(key)[1]) === serverName).map(([, id]) => id));
  }
  const loaded = await loadEvents(ctx, [...ours.values()].flat());
  for (const c of needMembers) {
    const memberships = (ours.get(c.eventId) ?? []).flatMap((id) => membershipOf(loaded.get(id)?.event.content) ?? []);
    if (c.type === 'm.room.member' && c.stateKey !== undefined && domainOf(c.stateKey) === serverName) {
      const after = membershipOf(c.content);
      if (after !== null) memberships.push(after);
    }
    if (isVisibleToServer({ visibilities: visibilitiesFor(c, c.before), memberships })) out.push(c.eventId);
  }
  return out;
}

/** The contents of every event named by `states`, by event ID (through the parsed-event cache). */
async function stateContents(ctx: RoomserverInternalContext, states: ReadonlyMap<string, ReadonlyMap<string, string>>): Promise<Map<string, JsonObject>> {
  const ids = new Set<string>();
  for (const state of states.values()) for (const id of state.values()) ids.add(id);
  const loaded = await loadEvents(ctx, ids);
  return new Map([...loaded].map(([id, l]) => [id, l.event.content]));
}

function contentAt(contents: ReadonlyMap<string, JsonObject>, state: ReadonlyMap<string, string>, key: string): JsonObject | undefined {
  const id = state.get(key);
  return id === undefined ? undefined : contents.get(id);
}

function contentOf(e: StoredEvent): JsonObject {
  const content = (JSON.parse(e.json) as JsonObject).content;
  return typeof content === 'object' && content !== null && !Array.isArray(content) ? content : {};
}
