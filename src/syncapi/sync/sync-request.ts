/**
 * A `/sync` request's parameters, parsed once: the `since` token, the long-poll `timeout`,
 * `full_state`, `set_presence` and the filter. {@link resolveSyncFilter} is the seam for the
 * filter work (`src/syncapi/filter/`): today it honours only an inline filter's
 * `room.timeline.limit`; it will return the full parsed filter, looked up by ID when needed.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { parseStreamToken, type StreamPositions } from './stream-token.js';

/** Timeline events per room when the filter sets no limit. */
export const DEFAULT_TIMELINE_LIMIT = 10;
/** The most timeline events per room a filter may ask for. */
export const MAX_TIMELINE_LIMIT = 100;
/** The longest a long-poll is held, whatever the client asks (proxies commonly cut at 60 s). */
export const MAX_TIMEOUT_MS = 60_000;

/** What the sync streams read of the filter. */
export interface ResolvedSyncFilter {
  /** Timeline events per room. */
  readonly timelineLimit: number;
}

/** The parameters of one `/sync`. */
export interface SyncRequest {
  /** null for an initial sync. */
  readonly since: StreamPositions | null;
  /** How long to wait for something to happen (0: answer at once). */
  readonly timeoutMs: number;
  readonly fullState: boolean;
  /** Accepted; presence from sync is not implemented yet. */
  readonly setPresence: 'online' | 'offline' | 'unavailable' | undefined;
  readonly filter: ResolvedSyncFilter;
}

/** The query string as the route's schema gives it. */
export interface SyncQuery {
  readonly filter?: string;
  readonly since?: string;
  readonly timeout?: number;
  readonly full_state?: boolean;
  readonly set_presence?: 'online' | 'offline' | 'unavailable';
}

/** Parses the query; 400 M_INVALID_PARAM for a bad token or filter. */
export async function parseSyncRequest(query: SyncQuery, userId: string): Promise<SyncRequest> {
  return {
    since: query.since === undefined || query.since === '' ? null : parseStreamToken(query.since),
    timeoutMs: Math.min(Math.max(query.timeout ?? 0, 0), MAX_TIMEOUT_MS),
    fullState: query.full_state === true,
    setPresence: query.set_presence,
    filter: await resolveSyncFilter(query.filter, userId),
  };
}

/**
 * The filter of a request: an inline JSON filter (first character `{`), or a filter ID. Only
 * `room.timeline.limit` of an inline filter is read for now; a filter ID gives the defaults
 * until filters are stored. Async because resolving an ID will read the userapi.
 */
export async function resolveSyncFilter(filter: string | undefined, _userId: string): Promise<ResolvedSyncFilter> {
  let timelineLimit = DEFAULT_TIMELINE_LIMIT;
  if (filter !== undefined && filter.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(filter);
    } catch {
      throw MatrixError.invalidParam('The filter is not valid JSON');
    }
    const limit = (parsed as { room?: { timeline?: { limit?: unknown } } } | null)?.room?.timeline?.limit;
    if (limit !== undefined) {
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw MatrixError.invalidParam('room.timeline.limit must be a positive integer');
      timelineLimit = Math.min(limit, MAX_TIMELINE_LIMIT);
    }
  }
  return { timelineLimit };
}
