/**
 * `POST /search`: full-text search over the events a user may see (client-server API "Server
 * Side Search"). Only the `room_events` category exists; a body without it gets empty
 * `search_categories`.
 *
 * A page is read from the index (`storage/search-table.ts`) in the requested order, `rank`
 * (the engine's relevance) or `recent` (newest stream position first), and kept to the hits
 * the user may see (`collect-search-hits.ts`). `next_batch` (`search-token.ts`) continues the
 * same search, or one group of it, over the set of events stored when its first page was read.
 *
 * Events are served as `/messages` and `/context` serve them (`history/history-serving.ts`), each
 * room's results and their contexts as one batch: bundled aggregations (the spec lists `/search`
 * among the endpoints that bundle), the requester's `unsigned.membership`, `age`,
 * `transaction_id`; `state` lists with `age` only.
 *
 * `count` is the number of matching events in the searched rooms' readable ranges (a left room
 * up to the leave), before history visibility and the event filter — the spec's "approximation"
 * — except on a first page that holds every hit, where it is exactly the results' number.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { excludesEverything } from '../filter/index.js';
import type { HistoryDeps } from '../history/history-access.js';
import type { ServedTo } from '../history/history-event.js';
import { historyServing, type HistoryServing } from '../history/history-serving.js';
import type { SearchMatch, SyncEvent } from '../storage/index.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import { collectSearchHits, type FoundHit, type FoundHits } from './collect-search-hits.js';
import { readResultContext, serveResultContext, type ReadContext, type SearchResultContext } from './search-context.js';
import { searchGroups, type SearchGroup } from './search-groups.js';
import { searchHighlights } from './search-highlights.js';
import type { RoomEventsCriteria } from './search-request.js';
import { searchRoomState } from './search-room-state.js';
import { searchableRooms } from './search-rooms.js';
import { decodeSearchToken, encodeSearchToken, type SearchBatch, type SearchScope } from './search-token.js';
import { searchableText } from './searchable-text.js';

/** One `/search` request, its body parsed. */
export interface SearchRequest {
  readonly requester: ServedTo;
  /** The `room_events` criteria; undefined when the body asks for no such category. */
  readonly roomEvents: RoomEventsCriteria | undefined;
  /** The `next_batch` query parameter. */
  readonly nextBatch: string | undefined;
}

/** One result. */
export interface SearchResult {
  readonly rank: number;
  readonly result: ResponseEvent;
  readonly context?: SearchResultContext;
}

/** The `room_events` category of the response. */
export interface RoomEventsResult {
  readonly results: SearchResult[];
  readonly count: number;
  readonly highlights: string[];
  readonly next_batch?: string;
  readonly state?: Record<string, ResponseEvent[]>;
  readonly groups?: Record<string, Record<string, SearchGroup>>;
}

/** The response body; its events may be stored JSON text (write it with `stringifyWithRaw`). */
export interface SearchResponse {
  readonly search_categories: { readonly room_events?: RoomEventsResult };
}

/**
 * Answers a `/search` request.
 *
 * @throws MatrixError 400 `M_INVALID_PARAM` for a `next_batch` this server did not write, or
 *   one of a search in another order.
 */
export async function performSearch(deps: HistoryDeps, req: SearchRequest): Promise<SearchResponse> {
  const criteria = req.roomEvents;
  if (criteria === undefined) return { search_categories: {} };
  const batch = req.nextBatch === undefined ? undefined : decodeSearchToken(req.nextBatch);
  if (batch !== undefined && batch.order !== criteria.order) throw MatrixError.invalidParam(`next_batch belongs to a search ordered by ${batch.order}`);
  return { search_categories: { room_events: await searchRoomEvents(deps, req.requester, criteria, batch) } };
}

async function searchRoomEvents(deps: HistoryDeps, requester: ServedTo, c: RoomEventsCriteria, batch: SearchBatch | undefined): Promise<RoomEventsResult> {
  const scope = batch?.scope ?? {};
  const maxPosition = batch?.maxPosition ?? (await deps.storage.latestPosition());
  const rooms = await searchableRooms(deps, requester.userId, c.filter, scope, maxPosition);
  const match: SearchMatch = {
    tokens: c.tokens,
    rooms: rooms.map((r) => ({ roomId: r.roomId, upTo: r.upTo })),
    types: c.types,
    senders: scope.sender !== undefined ? [scope.sender] : c.filter.senders,
    notSenders: c.filter.notSenders,
  };
  const found: FoundHits = excludesEverything(c.filter)
    ? { hits: [], next: undefined }
    : await collectSearchHits(deps, { userId: requester.userId, match, filter: c.filter, order: c.order, after: batch?.after, limit: c.limit });
  const options = c.context;
  const [count, contexts] = await Promise.all([
    batch === undefined && found.next === undefined ? found.hits.length : deps.storage.countSearchMatches(match),
    options === undefined ? undefined : Promise.all(found.hits.map((h) => readResultContext(deps, h.access, h.event, options, c.filter))),
  ]);
  const servings = await servingsByRoom(deps, requester, found.hits, contexts);
  const results = found.hits.map((h, i): SearchResult => {
    const serving = servings.get(h.event.roomId)!;
    const result = serving.event(h.event);
    const context = contexts?.[i];
    return context === undefined ? { rank: h.rank, result } : { rank: h.rank, result, context: serveResultContext(context, (e) => serving.event(e)) };
  });
  const tokenFor = (s: SearchScope) => (found.next === undefined ? undefined : encodeSearchToken({ order: c.order, after: found.next, maxPosition, scope: s }));
  const next = tokenFor(scope);
  const texts = found.hits.flatMap((h) => searchableText(JSON.parse(h.event.json) as JsonObject) ?? []);
  return {
    results,
    count,
    highlights: searchHighlights(c.tokens, texts),
    ...(next !== undefined ? { next_batch: next } : {}),
    ...(c.includeState ? { state: await searchRoomState(deps, rooms, servings) } : {}),
    ...(c.groupBy.length > 0 ? { groups: searchGroups(found.hits.map((h) => h.event), c.groupBy, scope, tokenFor) } : {}),
  };
}

/** One serving per room with hits, over its hits and their contexts' events. */
async function servingsByRoom(deps: HistoryDeps, to: ServedTo, hits: readonly FoundHit[], contexts: readonly ReadContext[] | undefined): Promise<Map<string, HistoryServing>> {
  const batches = new Map<string, { hit: FoundHit; events: SyncEvent[] }>();
  hits.forEach((hit, i) => {
    let b = batches.get(hit.event.roomId);
    if (b === undefined) batches.set(hit.event.roomId, (b = { hit, events: [] }));
    const ctx = contexts?.[i];
    b.events.push(hit.event, ...(ctx?.before ?? []), ...(ctx?.after ?? []));
  });
  const now = Date.now();
  const entries = await Promise.all([...batches].map(async ([roomId, b]) => [roomId, await historyServing(deps, b.hit.access, to, b.events, now)] as const));
  return new Map(entries);
}
