/**
 * Validates a client's filter against the spec's schema (`sync_filter.yaml`,
 * `room_event_filter.yaml`, `event_filter.yaml`) and normalises it into the types of
 * `filter-types.ts`. The same check serves `POST /user/{userId}/filter`, inline filters of
 * `/sync` and the `filter` parameter of `/messages`, so a filter accepted once is accepted
 * everywhere.
 *
 * Errors name the field (`room.timeline.limit`): a value of the wrong JSON type is 400
 * `M_BAD_JSON`, a value of the right type the schema still forbids (a limit of 0, an
 * `event_format` outside its enum, a room ID not starting with `!`) is 400 `M_INVALID_PARAM`.
 * Keys the schema does not know are ignored, as the schema allows (and Synapse does), so clients
 * can send newer or unstable fields.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import {
  DEFAULT_TIMELINE_LIMIT,
  MAX_TIMELINE_LIMIT,
  type EventFilter,
  type EventFormat,
  type RoomEventFilter,
  type RoomFilter,
  type SyncFilter,
} from './filter-types.js';

/** Server limits applied while normalising. */
export interface FilterLimits {
  /** Timeline events per room when the filter sets none ({@link DEFAULT_TIMELINE_LIMIT} by default). */
  readonly defaultTimelineLimit?: number;
  /** Cap on the timeline limit ({@link MAX_TIMELINE_LIMIT} by default). */
  readonly maxTimelineLimit?: number;
}

const EVENT_FORMATS: readonly EventFormat[] = ['client', 'federation'];

type Fields = Readonly<Record<string, unknown>>;

/**
 * Validates `value` as a `Filter` and returns its normalised form, defaults filled in.
 * `{}` (or the result for an absent filter) includes everything.
 *
 * @throws MatrixError `M_BAD_JSON` / `M_INVALID_PARAM` naming the offending field.
 */
export function parseSyncFilter(value: unknown, limits: FilterLimits = {}): SyncFilter {
  const o = objectAt(value, '');
  return {
    room: parseRoomFilter(o.room, 'room', limits),
    presence: parseEventFilter(o.presence, 'presence'),
    accountData: parseEventFilter(o.account_data, 'account_data'),
    eventFields: optionalStrings(o.event_fields, 'event_fields'),
    eventFormat: parseEventFormat(o.event_format),
  };
}

/**
 * Validates `value` as a `RoomEventFilter` (the `filter` of `/messages` and `/context`); `path`
 * prefixes the field names in errors.
 *
 * @throws MatrixError `M_BAD_JSON` / `M_INVALID_PARAM` naming the offending field.
 */
export function parseRoomEventFilter(value: unknown, path = ''): RoomEventFilter {
  const o = objectAt(value, path);
  return {
    ...eventFilterFields(o, path),
    rooms: optionalIds(o.rooms, join(path, 'rooms'), '!', 'room ID'),
    notRooms: optionalIds(o.not_rooms, join(path, 'not_rooms'), '!', 'room ID') ?? [],
    containsUrl: optionalBoolean(o.contains_url, join(path, 'contains_url')),
    lazyLoadMembers: optionalBoolean(o.lazy_load_members, join(path, 'lazy_load_members')) ?? false,
    includeRedundantMembers: optionalBoolean(o.include_redundant_members, join(path, 'include_redundant_members')) ?? false,
    unreadThreadNotifications: optionalBoolean(o.unread_thread_notifications, join(path, 'unread_thread_notifications')) ?? false,
  };
}

/**
 * Validates `value` as an `EventFilter` (presence, global account data).
 *
 * @throws MatrixError `M_BAD_JSON` / `M_INVALID_PARAM` naming the offending field.
 */
export function parseEventFilter(value: unknown, path = ''): EventFilter {
  return eventFilterFields(objectAt(value, path), path);
}

function parseRoomFilter(value: unknown, path: string, limits: FilterLimits): RoomFilter {
  const o = objectAt(value, path);
  const timeline = parseRoomEventFilter(o.timeline, join(path, 'timeline'));
  const max = limits.maxTimelineLimit ?? MAX_TIMELINE_LIMIT;
  return {
    timeline: { ...timeline, limit: Math.min(timeline.limit ?? limits.defaultTimelineLimit ?? DEFAULT_TIMELINE_LIMIT, max) },
    state: parseRoomEventFilter(o.state, join(path, 'state')),
    ephemeral: parseRoomEventFilter(o.ephemeral, join(path, 'ephemeral')),
    accountData: parseRoomEventFilter(o.account_data, join(path, 'account_data')),
    rooms: optionalIds(o.rooms, join(path, 'rooms'), '!', 'room ID'),
    notRooms: optionalIds(o.not_rooms, join(path, 'not_rooms'), '!', 'room ID') ?? [],
    includeLeave: optionalBoolean(o.include_leave, join(path, 'include_leave')) ?? false,
  };
}

function eventFilterFields(o: Fields, path: string): EventFilter {
  return {
    limit: optionalLimit(o.limit, join(path, 'limit')),
    types: optionalStrings(o.types, join(path, 'types')),
    notTypes: optionalStrings(o.not_types, join(path, 'not_types')) ?? [],
    senders: optionalIds(o.senders, join(path, 'senders'), '@', 'user ID'),
    notSenders: optionalIds(o.not_senders, join(path, 'not_senders'), '@', 'user ID') ?? [],
  };
}

function parseEventFormat(value: unknown): EventFormat {
  if (value === undefined) return 'client';
  if (typeof value !== 'string') throw MatrixError.badJson('event_format must be a string');
  const format = EVENT_FORMATS.find((f) => f === value);
  if (!format) throw MatrixError.invalidParam(`event_format must be one of ${EVENT_FORMATS.join(', ')}`);
  return format;
}

/** The object at `path`; an absent value reads as `{}` (every sub-filter is optional). */
function objectAt(value: unknown, path: string): Fields {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw MatrixError.badJson(path === '' ? 'The filter must be a JSON object' : `${path} must be an object`);
  }
  return value as Fields;
}

function optionalLimit(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw MatrixError.badJson(`${path} must be an integer`);
  if (value < 1) throw MatrixError.invalidParam(`${path} must be greater than 0`);
  return value;
}

function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw MatrixError.badJson(`${path} must be a boolean`);
  return value;
}

function optionalStrings(value: unknown, path: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw MatrixError.badJson(`${path} must be an array of strings`);
  value.forEach((v, i) => {
    if (typeof v !== 'string') throw MatrixError.badJson(`${path}[${i}] must be a string`);
  });
  return [...(value as string[])];
}

/** A list of IDs that must start with `sigil` (the schema's `^@` / `^!` patterns). */
function optionalIds(value: unknown, path: string, sigil: '@' | '!', what: string): readonly string[] | undefined {
  const ids = optionalStrings(value, path);
  ids?.forEach((id, i) => {
    if (!id.startsWith(sigil)) throw MatrixError.invalidParam(`${path}[${i}] must be a ${what} (starting with ${sigil})`);
  });
  return ids;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
