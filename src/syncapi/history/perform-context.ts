/**
 * `GET /rooms/{roomId}/context/{eventId}`: an event with the events around it and the room state.
 *
 * The limit is shared as Synapse shares it: half (rounded down) before, the rest after. Both
 * sides are pages of the same topological order as `/messages` (`paginate-room.ts`), so `start`
 * and `end` are ordinary `/messages` tokens: `start` pages backwards past `events_before`, `end`
 * forwards past `events_after`. The filter applies to both lists and to `state`, never to `event`.
 *
 * `state` is the room's state at the last event returned (the spec's words), i.e. after it in
 * arrival order (`roomStatesAt`). With `lazy_load_members` it keeps every non-member entry and
 * the member events of the returned events' senders only, as Synapse does.
 *
 * An event that is unknown, in another room, or hidden from the user is 404 `M_NOT_FOUND`; a
 * user who never was in the room gets 403 first, as for `/messages`.
 *
 * Events are served by `history-serving.ts`: the event and both lists as one batch (bundled
 * aggregations, the requester's `unsigned.membership`), `state` with `age` only.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { keepLazyStateEvent, matchesEventFilter, type RoomEventFilter } from '../filter/index.js';
import type { SyncEvent } from '../storage/index.js';
import { roomStatesAt, type StateItem } from '../sync/room-state-at.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import { hiddenEventIds, historyAccess, isReadable, type HistoryDeps } from './history-access.js';
import type { ServedTo } from './history-event.js';
import { historyServing } from './history-serving.js';
import { paginateRoom } from './paginate-room.js';
import { encodePoint, pointAfter, pointBefore, ROOM_END, ROOM_START } from './topological-point.js';

/** One `/context` request, its parameters parsed. */
export interface ContextRequest {
  readonly roomId: string;
  readonly eventId: string;
  readonly requester: ServedTo;
  readonly limit: number;
  readonly filter: RoomEventFilter;
}

/** The response body; its events may be stored JSON text (write it with `stringifyWithRaw`). */
export interface ContextResponse {
  readonly start: string;
  readonly end: string;
  readonly event: ResponseEvent;
  readonly events_before: ResponseEvent[];
  readonly events_after: ResponseEvent[];
  readonly state: ResponseEvent[];
}

/**
 * Answers a `/context` request.
 *
 * @throws MatrixError 403 `M_FORBIDDEN`, 404 `M_NOT_FOUND` (see the file comment).
 */
export async function performContext(deps: HistoryDeps, req: ContextRequest): Promise<ContextResponse> {
  const access = await historyAccess(deps, req.roomId, req.requester.userId);
  const [event] = await deps.storage.eventsByIds([req.eventId]);
  const notFound = () => MatrixError.notFound('Event not found');
  if (event === undefined || event.roomId !== req.roomId || !isReadable(access, event)) throw notFound();
  if ((await hiddenEventIds(deps.roomserver, access, [event])).has(event.eventId)) throw notFound();

  const beforeLimit = Math.floor(req.limit / 2);
  const [before, after] = await Promise.all([
    paginateRoom(deps, { access, from: pointBefore(event), to: ROOM_START, backwards: true, limit: beforeLimit, filter: req.filter }),
    paginateRoom(deps, { access, from: pointAfter(event), to: ROOM_END, backwards: false, limit: req.limit - beforeLimit, filter: req.filter }),
  ]);
  const last = after.events.at(-1) ?? event;
  const returned = [...before.events, event, ...after.events];
  const [serving, state] = await Promise.all([historyServing(deps, access, req.requester, returned), stateAt(deps, req, last.position, returned)]);
  const serve = (e: SyncEvent) => serving.event(e);
  return {
    start: encodePoint(before.next),
    end: encodePoint(after.next),
    event: serve(event),
    events_before: before.events.map(serve),
    events_after: after.events.map(serve),
    state: state.map((item) => serving.state(item.eventId, item.json)),
  };
}

/** The room's state after position `at`, filtered, lazy-loaded to the senders of `returned` when asked. */
async function stateAt(deps: HistoryDeps, req: ContextRequest, at: number, returned: readonly SyncEvent[]): Promise<StateItem[]> {
  const state = (await roomStatesAt(deps, [{ roomId: req.roomId, at }])).get(req.roomId) ?? new Map<string, StateItem>();
  const senders = new Set(returned.map((e) => e.sender));
  const { filter } = req;
  // Types are known without parsing; senders and `contains_url` need the event.
  const parse = filter.senders !== undefined || filter.notSenders.length > 0 || filter.containsUrl !== undefined;
  const out: StateItem[] = [];
  for (const item of state.values()) {
    if (filter.lazyLoadMembers && !keepLazyStateEvent(item, senders)) continue;
    const ev = parse ? (JSON.parse(item.json) as JsonObject) : undefined;
    const candidate = { type: item.type, sender: typeof ev?.sender === 'string' ? ev.sender : undefined, roomId: req.roomId, content: ev?.content };
    if (matchesEventFilter(candidate, filter)) out.push(item);
  }
  return out;
}
