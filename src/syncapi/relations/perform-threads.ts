/**
 * `GET /rooms/{roomId}/threads`: a page of the room's thread roots, latest activity first (the
 * topological place of each thread's latest reply), each with its bundled aggregations.
 *
 * `include=participated` keeps the threads the user started or replied to (spec, "Server-side
 * aggregation of `m.thread` relationships"). Who may ask is `/messages`' rule (403 for a user who
 * never was in the room, unless it is world-readable), and roots the user may not see — after
 * their leave, or hidden by history visibility — are left out of the page.
 *
 * `next_batch` is the point just before the last listed thread's latest reply; threads are read
 * strictly below it, so a thread that gains a reply meanwhile moves to the top and is not listed
 * twice on later pages.
 *
 * Roots are served by `history/history-serving.ts` (bundles and `unsigned.membership` in one
 * batch). A root whose bundle has no `m.thread` is no thread to this user — every reply came
 * after their leave, or its latest reply is hidden from them — and is left out.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { hiddenEventIds, historyAccess, isReadable, type HistoryDeps } from '../history/history-access.js';
import type { ServedTo } from '../history/history-event.js';
import { historyServing } from '../history/history-serving.js';
import { encodePoint, resolveToken } from '../history/topological-point.js';
import type { ResponseEvent } from '../sync/sync-response.js';

/** Threads per page when the client sets no limit. */
export const DEFAULT_THREADS_LIMIT = 10;
/** Most threads per page whatever the client asks. */
export const MAX_THREADS_LIMIT = 100;

/** One `/threads` request, its parameters parsed. */
export interface ThreadsRequest {
  readonly roomId: string;
  readonly requester: ServedTo;
  readonly include: 'all' | 'participated';
  readonly from?: string;
  /** Already checked and capped (see {@link threadsLimit}). */
  readonly limit: number;
}

/** The response body; its events may be stored JSON text (write it with `stringifyWithRaw`). */
export interface ThreadsResponse {
  readonly chunk: ResponseEvent[];
  readonly next_batch?: string;
}

/**
 * Answers a `/threads` request.
 *
 * @throws MatrixError 403 `M_FORBIDDEN` (see `historyAccess`), 400 `M_INVALID_PARAM` for a bad token.
 */
export async function performThreads(deps: HistoryDeps, req: ThreadsRequest): Promise<ThreadsResponse> {
  const userId = req.requester.userId;
  const access = await historyAccess(deps, req.roomId, userId);
  const before = req.from !== undefined ? await resolveToken(deps.storage, req.roomId, req.from) : undefined;
  const rows = await deps.storage.threadsPage({
    roomId: req.roomId,
    participant: req.include === 'participated' ? userId : undefined,
    before,
    limit: req.limit + 1,
  });
  const page = rows.slice(0, req.limit);
  const last = page.at(-1);
  const readable = page.map((t) => t.root).filter((e) => isReadable(access, e));
  const hidden = await hiddenEventIds(deps.roomserver, access, readable);
  const roots = readable.filter((e) => !hidden.has(e.eventId));
  const serving = await historyServing(deps, access, req.requester, roots);
  return {
    chunk: roots.filter((e) => serving.relationsOf(e.eventId)?.['m.thread'] !== undefined).map((e) => serving.event(e)),
    ...(rows.length > req.limit && last ? { next_batch: encodePoint({ depth: last.latestDepth, position: last.latestPosition }) } : {}),
  };
}

/**
 * The `limit` parameter: the default when absent, capped at {@link MAX_THREADS_LIMIT}.
 *
 * @throws MatrixError 400 `M_INVALID_PARAM` when not positive (the spec: "greater than zero").
 */
export function threadsLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_THREADS_LIMIT;
  if (limit < 1) throw MatrixError.invalidParam('limit must be greater than zero');
  return Math.min(limit, MAX_THREADS_LIMIT);
}
