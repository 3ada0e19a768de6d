/**
 * One page of a search's hits that the user may see: read from the index in the search's order,
 * then kept only when the event passes the filter (rooms, senders, types, `contains_url`: the
 * same `matchesEventFilter` as `/messages`; the index has already narrowed by room, type and
 * sender) and the user may see it — the same rules as `/messages` (`history/history-access.ts`):
 * readable before a leave, and history visibility asked of the roomserver for events before the
 * user's current join, one call per room per read.
 *
 * As `paginate-room.ts` does, the page moves past every hit *read*, hidden ones included, so the
 * next page never reads them again; reading stops at `limit` hits kept, at the end of the hits,
 * or after a budget of rows, so a page over hidden history costs a bounded amount of work and
 * may come back short but with a place to go on from.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject } from '../../matrix/json.js';
import { matchesEventFilter, type RoomEventFilter } from '../filter/index.js';
import { hiddenEventIds, historyAccess, isReadable, type HistoryAccess, type HistoryDeps } from '../history/history-access.js';
import type { SearchHit, SearchMatch, SyncEvent } from '../storage/index.js';
import type { SearchCursor, SearchOrder } from './search-token.js';

/** One page to collect. */
export interface SearchHitsRequest {
  readonly userId: string;
  readonly match: SearchMatch;
  readonly filter: RoomEventFilter;
  readonly order: SearchOrder;
  /** Hits after this place only; undefined from the start. */
  readonly after: SearchCursor | undefined;
  readonly limit: number;
}

/** A hit the user may see, with their access to its room (its context reads with it). */
export interface FoundHit {
  readonly event: SyncEvent;
  readonly rank: number;
  readonly access: HistoryAccess;
}

/** What a page found. */
export interface FoundHits {
  /** In the search's order. */
  readonly hits: FoundHit[];
  /** Where the next page starts (past the last hit read); undefined when no hit is left. */
  readonly next: SearchCursor | undefined;
}

/** Rows read beyond the limit before a page gives up looking for visible hits. */
const SCAN_BUDGET = 1000;
/** Smallest read after the first, when the first came back with too many hits left out. */
const MIN_BATCH = 100;

/** Collects one page (see the file comment). */
export async function collectSearchHits(deps: HistoryDeps, req: SearchHitsRequest): Promise<FoundHits> {
  const accessOf = roomAccess(deps, req.userId);
  const kept: FoundHit[] = [];
  let after = req.after;
  let scanned = 0;
  let first = true;
  for (;;) {
    // One more than needed, so a page that takes the last hit knows it did.
    const need = req.limit - kept.length + 1;
    const batch = Math.min(first ? need : Math.max(need, MIN_BATCH), req.limit + SCAN_BUDGET - scanned);
    if (batch <= 0) return { hits: kept, next: after };
    first = false;
    const rows = await deps.storage.searchPage({ ...req.match, order: req.order, after, limit: batch });
    scanned += rows.length;
    const visible = await visibleHits(deps, rows, req.filter, accessOf);
    for (const [i, hit] of rows.entries()) {
      after = { rank: hit.rank, position: hit.event.position };
      const access = visible.get(hit);
      if (access === undefined) continue;
      kept.push({ event: hit.event, rank: hit.rank, access });
      if (kept.length === req.limit) return { hits: kept, next: i === rows.length - 1 && rows.length < batch ? undefined : after };
    }
    if (rows.length < batch) return { hits: kept, next: undefined };
  }
}

/** The hits of `rows` the user may see, each with the access that lets them. */
async function visibleHits(deps: HistoryDeps, rows: readonly SearchHit[], filter: RoomEventFilter, accessOf: (roomId: string) => Promise<HistoryAccess | undefined>): Promise<Map<SearchHit, HistoryAccess>> {
  const byRoom = new Map<string, SearchHit[]>();
  for (const hit of rows) {
    if (!matchesEventFilter(filterable(hit.event, filter), filter)) continue;
    const list = byRoom.get(hit.event.roomId);
    if (list) list.push(hit);
    else byRoom.set(hit.event.roomId, [hit]);
  }
  const out = new Map<SearchHit, HistoryAccess>();
  await Promise.all(
    [...byRoom].map(async ([roomId, hits]) => {
      const access = await accessOf(roomId);
      if (access === undefined) return;
      const readable = hits.filter((h) => isReadable(access, h.event));
      const hidden = await hiddenEventIds(deps.roomserver, access, readable.map((h) => h.event));
      for (const h of readable) if (!hidden.has(h.event.eventId)) out.set(h, access);
    }),
  );
  return out;
}

/**
 * The user's access to each room, read once per request. A room they may no longer read (their
 * membership changed since the rooms were listed) is left out rather than failing the search.
 */
function roomAccess(deps: HistoryDeps, userId: string): (roomId: string) => Promise<HistoryAccess | undefined> {
  const cache = new Map<string, Promise<HistoryAccess | undefined>>();
  return (roomId) => {
    let access = cache.get(roomId);
    if (access === undefined) {
      access = historyAccess(deps, roomId, userId).catch((e: unknown) => {
        if (e instanceof MatrixError && e.errcode === 'M_FORBIDDEN') return undefined;
        throw e;
      });
      cache.set(roomId, access);
    }
    return access;
  };
}

/** What the filter looks at; the content is parsed only when `contains_url` needs it. */
function filterable(e: SyncEvent, filter: RoomEventFilter) {
  const content = filter.containsUrl === undefined ? undefined : (JSON.parse(e.json) as JsonObject).content;
  return { type: e.type, sender: e.sender, roomId: e.roomId, content };
}
