/**
 * The `next_batch` of `/search`: an opaque token (base64url of a small JSON object) holding where
 * the next page starts and which results it belongs to.
 *
 * - `o`: the order it was made for (`rank` or `recent`); a request with another order gets
 *   400 `M_INVALID_PARAM`, since its place means nothing in the other order.
 * - `r`, `p`: the rank and stream position of the last hit *read* (hidden ones included); the next
 *   page holds the hits strictly after it in the order (rank descending, then position
 *   descending; `recent` uses the position only).
 * - `m`: the latest stream position when the first page was read. Later pages leave out events
 *   stored since, so a search pages through one fixed set of hits and returns each once.
 * - `g`: a group's token narrows the search to that room (`room_id`) or sender (`sender`).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';

/** The orders the spec defines. */
export type SearchOrder = 'rank' | 'recent';

/** A place in a search's order: just after the hit with this rank and position. */
export interface SearchCursor {
  readonly rank: number;
  readonly position: number;
}

/** Which of a search's hits a page covers: every hit, or one group's. */
export interface SearchScope {
  readonly roomId?: string;
  readonly sender?: string;
}

/** What a `next_batch` token holds. */
export interface SearchBatch {
  readonly order: SearchOrder;
  readonly after: SearchCursor;
  readonly maxPosition: number;
  readonly scope: SearchScope;
}

interface TokenJson {
  o: SearchOrder;
  r: number;
  p: number;
  m: number;
  g?: { room_id?: string; sender?: string };
}

/** The token naming `batch`. */
export function encodeSearchToken(batch: SearchBatch): string {
  const json: TokenJson = { o: batch.order, r: batch.after.rank, p: batch.after.position, m: batch.maxPosition };
  const { roomId, sender } = batch.scope;
  if (roomId !== undefined || sender !== undefined) json.g = { ...(roomId !== undefined ? { room_id: roomId } : {}), ...(sender !== undefined ? { sender } : {}) };
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

/**
 * The batch a token names.
 *
 * @throws MatrixError 400 `M_INVALID_PARAM` for anything this server did not write.
 */
export function decodeSearchToken(token: string): SearchBatch {
  const bad = () => MatrixError.invalidParam('Invalid next_batch token');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad();
  const o = v as Partial<Record<keyof TokenJson, unknown>>;
  if ((o.o !== 'rank' && o.o !== 'recent') || !isFiniteNumber(o.r) || !isPosition(o.p) || !isPosition(o.m)) throw bad();
  return { order: o.o, after: { rank: o.r, position: o.p }, maxPosition: o.m, scope: scopeOf(o.g, bad) };
}

function scopeOf(g: unknown, bad: () => MatrixError): SearchScope {
  if (g === undefined) return {};
  if (typeof g !== 'object' || g === null || Array.isArray(g)) throw bad();
  const { room_id: roomId, sender } = g as { room_id?: unknown; sender?: unknown };
  if ((roomId !== undefined && typeof roomId !== 'string') || (sender !== undefined && typeof sender !== 'string')) throw bad();
  return { ...(roomId !== undefined ? { roomId } : {}), ...(sender !== undefined ? { sender } : {}) };
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isPosition(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
