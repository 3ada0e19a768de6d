/**
 * A `/sync` request's parameters, parsed once: the `since` token, the long-poll `timeout`,
 * `full_state`, `set_presence`, `use_state_after` and the filter — inline JSON or the ID of a
 * filter the user uploaded, resolved by `filter/resolve-filter.ts` through the cache of
 * `sync-filter-cache.ts` (an unknown ID is 400 `M_INVALID_PARAM`, JSON that does not parse 400
 * `M_NOT_JSON`).
 */
import type { SyncFilter } from '../filter/filter-types.js';
import { parseStreamToken, type StreamPositions } from './stream-token.js';

/** The longest a long-poll is held, whatever the client asks (proxies commonly cut at 60 s). */
export const MAX_TIMEOUT_MS = 60_000;

/** The parameters of one `/sync`. */
export interface SyncRequest {
  /** null for an initial sync. */
  readonly since: StreamPositions | null;
  /** How long to wait for something to happen (0: answer at once). */
  readonly timeoutMs: number;
  readonly fullState: boolean;
  /** `set_presence`: applied once per request by perform-sync (`offline` leaves presence as it is). */
  readonly setPresence: 'online' | 'offline' | 'unavailable' | undefined;
  /** `use_state_after=true` (v1.16): rooms carry `state_after` (state at the timeline's end) instead of `state`. */
  readonly useStateAfter: boolean;
  readonly filter: SyncFilter;
}

/** The query string as the route's schema gives it. */
export interface SyncQuery {
  readonly filter?: string;
  readonly since?: string;
  readonly timeout?: number;
  readonly full_state?: boolean;
  readonly set_presence?: 'online' | 'offline' | 'unavailable';
  readonly use_state_after?: boolean;
}

/**
 * Parses the query; `resolveFilter` turns the `filter` parameter into the requesting user's filter.
 *
 * @throws MatrixError 400 for a bad token or filter, an unknown filter ID.
 */
export async function parseSyncRequest(query: SyncQuery, resolveFilter: (param: string | undefined) => Promise<SyncFilter>): Promise<SyncRequest> {
  return {
    since: query.since === undefined || query.since === '' ? null : parseStreamToken(query.since),
    timeoutMs: Math.min(Math.max(query.timeout ?? 0, 0), MAX_TIMEOUT_MS),
    fullState: query.full_state === true,
    setPresence: query.set_presence,
    useStateAfter: query.use_state_after === true,
    filter: await resolveFilter(query.filter),
  };
}
