/**
 * Filters for `/sync`, `/messages` and `/context` (client-server API "Filtering"): pure
 * functions, no I/O. The route or sync code resolves the `filter` parameter once
 * (`resolveSyncFilter` / `resolveRoomEventFilter`), then asks:
 * - which rooms: `includeRoomInSync`, `roomAllowed`;
 * - which events of each section: `matchesEventFilter` / `filterEvents` with
 *   `filter.room.timeline`, `.state`, `.ephemeral`; `filterAccountData`; `filterPresence`;
 * - which members with lazy-loading: `syncLazyLoadOptions`, `selectLazyMembers`, `keepLazyStateEvent`;
 * - how to serve each event: `formatEvent` with `syncEventFormat(filter)`.
 */
export type { EventFilter, EventFormat, RoomEventFilter, RoomFilter, SyncFilter, TimelineFilter } from './filter-types.js';
export { DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT } from './filter-types.js';
export { parseEventFilter, parseRoomEventFilter, parseSyncFilter, type FilterLimits } from './parse-filter.js';
export { resolveRoomEventFilter, resolveSyncFilter, type StoredFilterLookup } from './resolve-filter.js';
export { excludesEverything, filterEvents, matchesEventFilter, matchesTypePattern, type FilterableEvent, type LimitFrom } from './event-filter.js';
export { allowedRooms, includeRoomInSync, roomAllowed, type SyncMembership, type SyncRoomCandidate } from './room-filter.js';
export { applyEventFields } from './event-fields.js';
export { formatEvent, syncEventFormat, type EventFormatOptions } from './event-format.js';
export {
  keepLazyStateEvent,
  lazyLoadOptionsOf,
  selectLazyMembers,
  syncLazyLoadOptions,
  type LazyLoadOptions,
  type LazyMembersRequest,
  type LazyMembersResult,
  type LazyTimelineEvent,
  type SentMembers,
  type SentMembersStore,
} from './lazy-members.js';
export { filterPresence, matchesPresenceFilter, PRESENCE_EVENT_TYPE } from './presence-filter.js';
export { filterAccountData, matchesAccountDataFilter, type AccountDataFilters, type FilterableAccountData } from './account-data-filter.js';
