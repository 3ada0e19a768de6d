/**
 * Tokens naming a point in one room's timeline, for `/messages` `from`/`to`, and the `prev_batch`
 * of a sync timeline. Two forms:
 *
 * - `t<depth>_<position>`: the point just **before** the event at that topological depth and
 *   stream position. Events are ordered by (depth, position); paginating backwards from the token
 *   returns the events ordered below it, forwards those at or above it. A sync timeline's
 *   `prev_batch` is this token of its first event, so `/messages?dir=b&from=<prev_batch>`
 *   continues exactly where the timeline starts.
 * - a `/sync` stream token (`s…`, see `stream-token.ts`): the point **after** its `pdu` position,
 *   in stream order, so `from=<since>&to=<prev_batch>` covers the gap of a limited sync.
 *
 * Depth orders events as the room's DAG does (backfilled history has low depths but new stream
 * positions); the position breaks ties between events of equal depth from forks.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseStreamToken } from './stream-token.js';

/** A parsed pagination token. */
export type PaginationToken =
  | { readonly kind: 'topological'; readonly depth: number; readonly position: number }
  | { readonly kind: 'stream'; readonly position: number };

// Positions of backfilled events are negative (`output-room-events-historical.ts`).
const TOPOLOGICAL = /^t(0|[1-9][0-9]{0,15})_(0|-?[1-9][0-9]{0,15})$/;

/** The token for the point just before the event at (`depth`, `position`). */
export function encodeTopologicalToken(depth: number, position: number): string {
  return `t${depth}_${position}`;
}

/** A `t…` or `s…` token; 400 M_INVALID_PARAM otherwise. */
export function parsePaginationToken(token: string): PaginationToken {
  const m = TOPOLOGICAL.exec(token);
  if (m) {
    const depth = Number(m[1]);
    const position = Number(m[2]);
    if (Number.isSafeInteger(depth) && Number.isSafeInteger(position)) return { kind: 'topological', depth, position };
    throw MatrixError.invalidParam(`Invalid pagination token: ${token}`);
  }
  if (token.startsWith('s')) return { kind: 'stream', position: parseStreamToken(token).pdu };
  throw MatrixError.invalidParam(`Invalid pagination token: ${token.length > 64 ? `${token.slice(0, 64)}…` : token}`);
}
