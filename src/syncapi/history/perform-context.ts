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
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { keepLazyStateEvent, matchesEventFilter, type RoomEventFilter } from '../filter/index.js';
import type { SyncEvent } from '../storage/index.js';
import { roomStatesAt } from '../sync/room-state-at.js';
import { hiddenEventIds, historyAccess, isReadable, type HistoryDeps } from './history-access.js';
import { historyEvent, servedJson, type ServedTo } from './history-event.js';
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

/** The response body. */
export interface ContextResponse {
  readonly start: string;
  readonly end: string;
  readonly event: JsonObject;
  readonly events_before: JsonObject[];
  readonly events_after: JsonObject[];
  readonly state: JsonObject[];
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
  const now = Date.now();
  const serve = (e: SyncEvent) => historyEvent(e, req.requester, now);
  return {
    start: encodePoint(before.next),
    end: encodePoint(after.next),
    event: serve(event),
    events_before: before.events.map(serve),
    events_after: after.events.map(serve),
    state: await stateAt(deps, req, last.position, returned, now),
  };
}

/** The room's state after position `at`, filtered, lazy-loaded to the senders of `returned` when asked. */
async function stateAt(deps: HistoryDeps, req: ContextRequest, at: number, returned: readonly SyncEvent[], now: number): Promise<JsonObject[]> {
  const state = (await roomStatesAt(deps, [{ roomId: req.roomId, at }])).get(req.roomId) ?? new Map();
  const senders = new Set(returned.map((e) => e.sender));
  const out: JsonObject[] = [];
  for (const item of state.values()) {
    if (req.filter.lazyLoadMembers && !keepLazyStateEvent(item, senders)) continue;
    const served = servedJson(item.json, now, null);
    const candidate = { type: item.type, sender: typeof served.sender === 'string' ? served.sender : undefined, roomId: req.roomId, content: served.content };
    if (matchesEventFilter(candidate, req.filter)) out.push(served);
  }
  return out;
}
