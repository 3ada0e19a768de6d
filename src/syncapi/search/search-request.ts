/**
 * The `room_events` criteria of a `/search` body, checked and normalised. The route's schema has
 * already checked the JSON types and enums (so a missing `search_term` is 400 `M_MISSING_PARAM`);
 * what is left here is what a schema cannot say: the filter (the same `parseRoomEventFilter`
 * as `/messages`, so a filter accepted there is accepted here), limits that must not be
 * negative (400 `M_INVALID_PARAM`, as `parse-filter.ts` answers a value the schema forbids), and
 * defaults.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { matchesEventFilter, parseRoomEventFilter, type RoomEventFilter } from '../filter/index.js';
import { ALL_SEARCH_KEYS, SEARCH_KEY_TYPES, type SearchKey } from './searchable-text.js';
import { queryTokens } from './search-tokens.js';
import type { SearchOrder } from './search-token.js';

/** Results per page when the filter sets no limit (Synapse's default). */
export const DEFAULT_SEARCH_LIMIT = 10;
/** Most results per page whatever the filter asks: each may carry its context, two room reads. */
export const MAX_SEARCH_LIMIT = 100;
/** Context events on each side when `event_context` sets no limit (the spec's default). */
export const DEFAULT_CONTEXT_LIMIT = 5;
/** Most context events on each side. */
export const MAX_CONTEXT_LIMIT = 100;

/** How a group's results are keyed. */
export type SearchGroupKey = 'room_id' | 'sender';

/** `room_events` as the route's schema lets it through. */
export interface RoomEventsJson {
  readonly search_term: string;
  readonly keys?: readonly SearchKey[];
  readonly filter?: unknown;
  readonly order_by?: SearchOrder;
  readonly event_context?: { readonly before_limit?: number; readonly after_limit?: number; readonly include_profile?: boolean };
  readonly include_state?: boolean;
  readonly groupings?: { readonly group_by?: ReadonlyArray<{ readonly key?: SearchGroupKey }> };
}

/** What to return around each result. */
export interface ContextOptions {
  readonly before: number;
  readonly after: number;
  readonly includeProfile: boolean;
}

/** The normalised criteria. */
export interface RoomEventsCriteria {
  /** The term's distinct words (`search-tokens.ts`); none means nothing can match. */
  readonly tokens: readonly string[];
  /** The event types the keys (and the filter's types) leave to search. */
  readonly types: readonly string[];
  readonly filter: RoomEventFilter;
  /** Results per page. */
  readonly limit: number;
  readonly order: SearchOrder;
  /** Absent when no `event_context` was asked for. */
  readonly context: ContextOptions | undefined;
  readonly includeState: boolean;
  /** The requested groupings, each once, in the order asked. */
  readonly groupBy: readonly SearchGroupKey[];
}

const FIELD = 'search_categories.room_events';

/**
 * Normalises `room_events`.
 *
 * @throws MatrixError `M_BAD_JSON` / `M_INVALID_PARAM` naming the field.
 */
export function parseRoomEventsCriteria(json: RoomEventsJson): RoomEventsCriteria {
  const filter = parseRoomEventFilter(json.filter, `${FIELD}.filter`);
  const keys = json.keys ?? ALL_SEARCH_KEYS;
  // Only types matter here: senders, rooms and `contains_url` are applied to each hit.
  const typeFilter = { limit: undefined, types: filter.types, notTypes: filter.notTypes, senders: undefined, notSenders: [] };
  const types = [...new Set(keys.map((k) => SEARCH_KEY_TYPES[k]))].filter((type) => matchesEventFilter({ type }, typeFilter));
  const ctx = json.event_context;
  return {
    tokens: queryTokens(json.search_term),
    types,
    filter,
    limit: Math.min(filter.limit ?? DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT),
    order: json.order_by ?? 'rank',
    context:
      ctx === undefined
        ? undefined
        : {
            before: contextLimit(ctx.before_limit, 'before_limit'),
            after: contextLimit(ctx.after_limit, 'after_limit'),
            includeProfile: ctx.include_profile ?? false,
          },
    includeState: json.include_state ?? false,
    groupBy: [...new Set((json.groupings?.group_by ?? []).flatMap((g) => (g.key === undefined ? [] : [g.key])))],
  };
}

function contextLimit(value: number | undefined, name: string): number {
  if (value === undefined) return DEFAULT_CONTEXT_LIMIT;
  if (value < 0) throw MatrixError.invalidParam(`${FIELD}.event_context.${name} must not be negative`);
  return Math.min(value, MAX_CONTEXT_LIMIT);
}
