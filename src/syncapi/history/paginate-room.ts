/**
 * One page of a room's history in topological order, as `/messages` and `/context` need it: the
 * events of a range that pass the filter and that the user may see, at most `limit` of them, and
 * the point where the next page starts.
 *
 * Filtered-out and hidden events still move the page along: the next point lies past the last
 * event *read*, so they are never read twice. Reading stops at `limit` kept events, at the end of
 * the range, or after a scan budget of rows, so a page of a room whose history the user may not
 * see costs a bounded amount of work; such a page may come back short or empty but with a next
 * point, as the spec allows ("an empty chunk does not necessarily imply that no more events are
 * available").
 */
import type { JsonObject } from '../../matrix/json.js';
import { matchesEventFilter, type RoomEventFilter } from '../filter/index.js';
import type { SyncEvent } from '../storage/index.js';
import { hiddenEventIds, type HistoryAccess, type HistoryDeps } from './history-access.js';
import { comparePoints, minPoint, pointAfter, pointBefore, type TopologicalPoint } from './topological-point.js';

/** One page to read. */
export interface PageRequest {
  readonly access: HistoryAccess;
  /** Where the page starts: for `backwards`, events before it; otherwise events at or after it. */
  readonly from: TopologicalPoint;
  /** Where it must stop: for `backwards`, events at or after it; otherwise events before it. */
  readonly to: TopologicalPoint;
  readonly backwards: boolean;
  readonly limit: number;
  readonly filter: RoomEventFilter;
}

/** What a page found. */
export interface Page {
  /** The kept events, in pagination order (newest first when backwards). */
  readonly events: SyncEvent[];
  /** Where the next page in the same direction starts (past the last event read). */
  readonly next: TopologicalPoint;
  /** True when the range holds nothing more to read. */
  readonly exhausted: boolean;
}

/** Rows read beyond the limit before a page gives up looking for visible events. */
const SCAN_BUDGET = 1000;
/** Smallest read after the first, when the first came back with too many events left out. */
const MIN_BATCH = 100;

/** Reads one page (see the file comment). */
export async function paginateRoom(deps: HistoryDeps, req: PageRequest): Promise<Page> {
  const { access, backwards, filter } = req;
  // The range as [lower, upper), cut at the user's leave.
  let lower = backwards ? req.to : req.from;
  let upper = minPoint(backwards ? req.from : req.to, access.readableBefore);
  const kept: SyncEvent[] = [];
  let next = req.from;
  let scanned = 0;
  let first = true;
  while (kept.length < req.limit && comparePoints(lower, upper) < 0) {
    const need = req.limit - kept.length;
    const batch = Math.min(first ? need : Math.max(need, MIN_BATCH), req.limit + SCAN_BUDGET - scanned);
    if (batch <= 0) return { events: kept, next, exhausted: false };
    first = false;
    const rows = await deps.storage.topologicalPage({ roomId: access.roomId, from: lower, to: upper, backwards, limit: batch });
    scanned += rows.length;
    const candidates = rows.filter((e) => matchesEventFilter(filterable(e, filter), filter));
    const hidden = await hiddenEventIds(deps.roomserver, access, candidates);
    const passing = new Set(candidates.filter((e) => !hidden.has(e.eventId)));
    for (const [i, e] of rows.entries()) {
      next = backwards ? pointBefore(e) : pointAfter(e);
      if (!passing.has(e)) continue;
      kept.push(e);
      // Full: the rows after this one are left for the next page.
      if (kept.length === req.limit) return { events: kept, next, exhausted: i === rows.length - 1 && rows.length < batch };
    }
    if (rows.length < batch) return { events: kept, next, exhausted: true };
    if (backwards) upper = next;
    else lower = next;
  }
  // Here the range is empty, or the limit was 0.
  return { events: kept, next, exhausted: comparePoints(lower, upper) >= 0 };
}

/** What the filter looks at; the content is parsed only when `contains_url` needs it. */
function filterable(e: SyncEvent, filter: RoomEventFilter) {
  const content = filter.containsUrl === undefined ? undefined : (JSON.parse(e.json) as JsonObject).content;
  return { type: e.type, sender: e.sender, roomId: e.roomId, content };
}
