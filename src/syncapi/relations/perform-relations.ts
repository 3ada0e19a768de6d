/**
 * `GET /rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]]`: a page of a parent's child
 * events, newest first (`dir=b`, the default) or oldest first, in the room's topological order.
 *
 * Tokens are `/messages`' (`history/topological-point.ts`): `t<depth>_<position>` names the
 * point just before an event, a sync token the point after what was stored by then. `next_batch`
 * continues past the last child served; `prev_batch` is the `from` given (Synapse's choice: the
 * point this page started at).
 *
 * `recurse` (v1.10) follows relations of relations up to {@link RECURSION_DEPTH} levels, the
 * filters applying at every level, so an event related only through a non-matching one is not
 * included (spec, "Relationships API").
 *
 * A parent that is unknown, in another room, or hidden from the user by history visibility is
 * 404 `M_NOT_FOUND`, as the spec's OpenAPI says — including when the user may not read the room at
 * all, so the answer does not tell whether the event exists.
 *
 * Children are served by `history/history-serving.ts`, as `/messages` serves events: each with
 * its own bundled aggregations and the requester's `unsigned.membership`, in one batch.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { hiddenEventIds, historyAccess, isReadable, type HistoryAccess, type HistoryDeps } from '../history/history-access.js';
import type { ServedTo } from '../history/history-event.js';
import { historyServing } from '../history/history-serving.js';
import { encodePoint, pointAfter, pointBefore, resolveToken } from '../history/topological-point.js';
import type { ResponseEvent } from '../sync/sync-response.js';

/** Levels of relations `recurse` follows (the spec asks for at least 3; Synapse uses 3). */
export const RECURSION_DEPTH = 3;
/** Children per page when the client sets no limit. */
export const DEFAULT_RELATIONS_LIMIT = 50;
/** Most children per page whatever the client asks. */
export const MAX_RELATIONS_LIMIT = 1000;

/** One `/relations` request, its parameters parsed. */
export interface RelationsRequest {
  readonly roomId: string;
  readonly eventId: string;
  readonly relType?: string;
  readonly eventType?: string;
  readonly requester: ServedTo;
  readonly dir: 'b' | 'f';
  readonly from?: string;
  readonly to?: string;
  /** Already checked and capped (see {@link relationsLimit}). */
  readonly limit: number;
  readonly recurse: boolean;
}

/** The response body; its events may be stored JSON text (write it with `stringifyWithRaw`). */
export interface RelationsResponse {
  readonly chunk: ResponseEvent[];
  readonly next_batch?: string;
  readonly prev_batch?: string;
  readonly recursion_depth?: number;
}

/**
 * Answers a `/relations` request.
 *
 * @throws MatrixError 404 `M_NOT_FOUND` (see the file comment), 400 `M_INVALID_PARAM` for a bad token.
 */
export async function performRelations(deps: HistoryDeps, req: RelationsRequest): Promise<RelationsResponse> {
  const access = await accessOrNotFound(deps, req);
  const [parent] = await deps.storage.eventsByIds([req.eventId]);
  if (!parent || parent.roomId !== req.roomId || !isReadable(access, parent)) throw eventNotFound();
  const from = req.from !== undefined ? await resolveToken(deps.storage, req.roomId, req.from) : undefined;
  const to = req.to !== undefined ? await resolveToken(deps.storage, req.roomId, req.to) : undefined;
  const rows = await deps.storage.relationsPage({
    roomId: req.roomId,
    parentId: req.eventId,
    relType: req.relType,
    eventType: req.eventType,
    dir: req.dir,
    from,
    to,
    limit: req.limit + 1,
    maxDepth: req.recurse ? RECURSION_DEPTH : 1,
  });
  const page = rows.slice(0, req.limit);
  const last = page.at(-1);
  const readable = page.filter((e) => isReadable(access, e));
  const hidden = await hiddenEventIds(deps.roomserver, access, [parent, ...readable]);
  if (hidden.has(parent.eventId)) throw eventNotFound();
  const children = readable.filter((e) => !hidden.has(e.eventId));
  const serving = await historyServing(deps, access, req.requester, children);
  return {
    chunk: children.map((e) => serving.event(e)),
    ...(rows.length > req.limit && last ? { next_batch: encodePoint(req.dir === 'b' ? pointBefore(last) : pointAfter(last)) } : {}),
    ...(req.from !== undefined ? { prev_batch: req.from } : {}),
    ...(req.recurse ? { recursion_depth: RECURSION_DEPTH } : {}),
  };
}

/**
 * The `limit` parameter: the default when absent, capped at {@link MAX_RELATIONS_LIMIT}.
 *
 * @throws MatrixError 400 `M_INVALID_PARAM` when not positive.
 */
export function relationsLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_RELATIONS_LIMIT;
  if (limit < 1) throw MatrixError.invalidParam('limit must be positive');
  return Math.min(limit, MAX_RELATIONS_LIMIT);
}

async function accessOrNotFound(deps: HistoryDeps, req: RelationsRequest): Promise<HistoryAccess> {
  try {
    return await historyAccess(deps, req.roomId, req.requester.userId);
  } catch (err) {
    if (err instanceof MatrixError && err.errcode === 'M_FORBIDDEN') throw eventNotFound();
    throw err;
  }
}

function eventNotFound(): MatrixError {
  return MatrixError.notFound('Event not found');
}
