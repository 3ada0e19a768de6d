/**
 * Whether an event passes an `EventFilter` / `RoomEventFilter`. Each `not_*` list wins over its
 * positive list (spec: "A matching … will be excluded even if it is listed in …"), an absent
 * positive list includes everything and an empty one nothing. Event types match with `*` as a
 * wildcard for any run of characters, anywhere in the pattern (Synapse only honours a trailing
 * `*`; the spec says any sequence, so `m.*.member` works here too).
 */
import type { EventFilter, RoomEventFilter } from './filter-types.js';

/**
 * What filters look at. A `RoomEvent` fits as it is; so do account-data entries (`roomId`
 * null for global ones) and presence (`type: 'm.presence'`, `sender` the user).
 */
export interface FilterableEvent {
  readonly type: string;
  /** Absent for events without one (typing, receipts, account data): no `senders` entry then matches. */
  readonly sender?: string;
  /** Absent or null outside rooms: no `rooms` entry then matches. */
  readonly roomId?: string | null;
  /** Looked at only for `contains_url`. */
  readonly content?: unknown;
}

/**
 * Whether `event` passes `filter` (types, senders and, for a {@link RoomEventFilter}, rooms and
 * `contains_url`). The filter's `limit` is not a property of one event: see {@link filterEvents}.
 */
export function matchesEventFilter(event: FilterableEvent, filter: EventFilter | RoomEventFilter): boolean {
  if (!matchesList(event.type, filter.types, filter.notTypes, matchesTypePattern)) return false;
  if (!matchesList(event.sender, filter.senders, filter.notSenders, equals)) return false;
  if (!isRoomEventFilter(filter)) return true;
  if (!matchesList(event.roomId ?? undefined, filter.rooms, filter.notRooms, equals)) return false;
  return filter.containsUrl === undefined || filter.containsUrl === hasUrl(event.content);
}

/** Where {@link filterEvents} keeps events when more match than the limit allows. */
export type LimitFrom = 'start' | 'end';

/**
 * The events passing `filter`, in their order, at most `filter.limit` of them: the first ones
 * (`from: 'start'`, the default) or the last ones (`'end'`: the newest of a timeline in stream order).
 */
export function filterEvents<E extends FilterableEvent>(events: readonly E[], filter: EventFilter | RoomEventFilter, from: LimitFrom = 'start'): E[] {
  const kept = events.filter((e) => matchesEventFilter(e, filter));
  const limit = filter.limit;
  if (limit === undefined || kept.length <= limit) return kept;
  return from === 'start' ? kept.slice(0, limit) : kept.slice(kept.length - limit);
}

/**
 * True when no event at all can pass `filter` (an empty `types`, `senders` or `rooms` list, or a
 * bare `*` in `not_types`), so a caller can skip reading the events in the first place.
 */
export function excludesEverything(filter: EventFilter | RoomEventFilter): boolean {
  if (filter.types?.length === 0 || filter.senders?.length === 0 || filter.notTypes.includes('*')) return true;
  return isRoomEventFilter(filter) && filter.rooms?.length === 0;
}

/**
 * Whether `type` matches `pattern`, where `*` stands for any run of characters (including none)
 * and every other character for itself. Linear in practice: the usual greedy match with
 * backtracking to the last `*` only.
 */
export function matchesTypePattern(type: string, pattern: string): boolean {
  if (!pattern.includes('*')) return type === pattern;
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < type.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (p < pattern.length && pattern[p] === type[t]) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function matchesList(
  value: string | undefined,
  include: readonly string[] | undefined,
  exclude: readonly string[],
  matches: (value: string, entry: string) => boolean,
): boolean {
  if (value === undefined) return include === undefined;
  if (exclude.some((entry) => matches(value, entry))) return false;
  return include === undefined || include.some((entry) => matches(value, entry));
}

function equals(value: string, entry: string): boolean {
  return value === entry;
}

/** A string `url` in the content (Synapse's reading: a non-string `url` is no URL). */
function hasUrl(content: unknown): boolean {
  if (typeof content !== 'object' || content === null || !Object.hasOwn(content, 'url')) return false;
  return typeof (content as { url?: unknown }).url === 'string';
}

function isRoomEventFilter(filter: EventFilter | RoomEventFilter): filter is RoomEventFilter {
  return 'notRooms' in filter;
}
