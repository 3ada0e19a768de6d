/**
 * Points in a room's topological order (see `TopologicalPoint` in storage) and the pagination
 * tokens that name them. A `t<depth>_<position>` token is its point as it is; a sync token
 * (`s…`, the point after a `pdu` stream position) becomes the point just after the room's
 * topologically last event stored by then — in a room whose timeline is linear, exactly the
 * events at or before that position lie below it, so `from=<since>&to=<prev_batch>` spans the
 * gap of a limited sync. (An event of a fork or of backfill that arrived after the position but
 * sits lower in the DAG falls below the point too: sync tokens name stream points, and a
 * topological order has no exact place for them; Synapse and Dendrite make the same choice.)
 */
import type { SyncStorage, TopologicalPoint } from '../storage/index.js';
import { encodeTopologicalToken, parsePaginationToken } from '../sync/pagination-token.js';

export type { TopologicalPoint };

/** Before every event of a room. */
export const ROOM_START: TopologicalPoint = Object.freeze({ depth: 0, position: 0 });

/** After every event of a room (never encoded into a token). */
export const ROOM_END: TopologicalPoint = Object.freeze({ depth: Number.MAX_SAFE_INTEGER, position: Number.MAX_SAFE_INTEGER });

/** An event's place in the order. */
export interface Placed {
  readonly depth: number;
  readonly position: number;
}

/** The point just before `e` (paging backwards past `e` continues from here). */
export function pointBefore(e: Placed): TopologicalPoint {
  return { depth: e.depth, position: e.position };
}

/** The point just after `e` (paging forwards past `e` continues from here). */
export function pointAfter(e: Placed): TopologicalPoint {
  return { depth: e.depth, position: e.position + 1 };
}

/** Negative when `a` comes first, 0 when equal, positive when `b` comes first. */
export function comparePoints(a: TopologicalPoint, b: TopologicalPoint): number {
  return a.depth !== b.depth ? a.depth - b.depth : a.position - b.position;
}

/** The earlier of two points. */
export function minPoint(a: TopologicalPoint, b: TopologicalPoint): TopologicalPoint {
  return comparePoints(a, b) <= 0 ? a : b;
}

/** The token naming `p`. */
export function encodePoint(p: TopologicalPoint): string {
  return encodeTopologicalToken(p.depth, p.position);
}

/**
 * The point a `from`/`to` token names in `roomId`.
 *
 * @throws MatrixError `M_INVALID_PARAM` for a token this server does not write.
 */
export async function resolveToken(storage: SyncStorage, roomId: string, token: string): Promise<TopologicalPoint> {
  const t = parsePaginationToken(token);
  if (t.kind === 'topological') return { depth: t.depth, position: t.position };
  const last = await storage.lastEventUpTo(roomId, t.position);
  return last === undefined ? ROOM_START : pointAfter(last);
}
