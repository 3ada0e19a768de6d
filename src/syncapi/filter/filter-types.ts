/**
 * The normalised form of the spec's filters (`Filter`, `RoomFilter`, `RoomEventFilter`,
 * `EventFilter`; client-server API "Filtering"): what `parse-filter.ts` turns a client's JSON
 * into, and what every matcher of this folder reads. Absent lists stay `undefined` where the spec
 * gives absence a meaning of its own ("all senders"), and become `[]` where it does not
 * ("no senders excluded"), so a matcher never has to tell the two apart twice. Plain data only:
 * the syncapi may cache it or pass it across processes as it is.
 */

/** The spec's `event_format`: the client format (`ClientEvent`) or the PDU as federation carries it. */
export type EventFormat = 'client' | 'federation';

/** The spec's `EventFilter`, for presence and global account data. */
export interface EventFilter {
  /** Most events to return; `undefined` when the client set none (the caller's default applies). */
  readonly limit: number | undefined;
  /** Event types to include, `*` matching any run of characters; `undefined` includes every type. */
  readonly types: readonly string[] | undefined;
  /** Event types to exclude, with `*` wildcards; wins over `types`. */
  readonly notTypes: readonly string[];
  /** Senders to include; `undefined` includes every sender. */
  readonly senders: readonly string[] | undefined;
  /** Senders to exclude; wins over `senders`. */
  readonly notSenders: readonly string[];
}

/** The spec's `RoomEventFilter`: an {@link EventFilter} for events that belong to rooms. */
export interface RoomEventFilter extends EventFilter {
  /** Rooms to include; `undefined` includes every room. */
  readonly rooms: readonly string[] | undefined;
  /** Rooms to exclude; wins over `rooms`. */
  readonly notRooms: readonly string[];
  /** `true`: only events whose content has a string `url`; `false`: only those without; `undefined`: either. */
  readonly containsUrl: boolean | undefined;
  /** Lazy-loading of membership events (see `lazy-members.ts`). */
  readonly lazyLoadMembers: boolean;
  /** With lazy-loading: send membership events even when the client was already sent them. */
  readonly includeRedundantMembers: boolean;
  /** Per-thread notification counts in `/sync` (spec v1.4). */
  readonly unreadThreadNotifications: boolean;
}

/** The timeline's filter: a {@link RoomEventFilter} whose limit always has a value. */
export interface TimelineFilter extends RoomEventFilter {
  /** Most timeline events per room: the client's, or the default, capped by the server's maximum. */
  readonly limit: number;
}

/** The spec's `RoomFilter`: which rooms a sync covers and what it returns for each. */
export interface RoomFilter {
  /** Message and state events of the timeline. */
  readonly timeline: TimelineFilter;
  /** The `state` section. Its `lazyLoadMembers` is the one `/sync` honours, as Synapse and Dendrite do. */
  readonly state: RoomEventFilter;
  /** Typing notifications and receipts. */
  readonly ephemeral: RoomEventFilter;
  /** Per-room account data. */
  readonly accountData: RoomEventFilter;
  /** Rooms to include, applied before every filter above; `undefined` includes every room. */
  readonly rooms: readonly string[] | undefined;
  /** Rooms to exclude, applied before every filter above; wins over `rooms`. */
  readonly notRooms: readonly string[];
  /** Include rooms the user has left (or was banned from) in initial and `full_state` syncs. */
  readonly includeLeave: boolean;
}

/** The spec's `Filter`, as `/sync` uses it. */
export interface SyncFilter {
  readonly room: RoomFilter;
  /** Presence updates (`m.presence`, sender = the user whose presence it is). */
  readonly presence: EventFilter;
  /** Global account data. */
  readonly accountData: EventFilter;
  /** Dot-separated paths of the event fields to keep; `undefined` keeps every field. */
  readonly eventFields: readonly string[] | undefined;
  readonly eventFormat: EventFormat;
}

/** Timeline events per room when the client sets no limit (Synapse's default). */
export const DEFAULT_TIMELINE_LIMIT = 10;

/**
 * Most timeline events per room whatever the client asks (Synapse's `filter_timeline_limit`):
 * one `/sync` must not be able to ask for a room's whole history.
 */
export const MAX_TIMELINE_LIMIT = 100;
