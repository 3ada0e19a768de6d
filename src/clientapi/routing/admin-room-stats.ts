/**
 * The room object of Synapse's room admin API, built from what the roomserver lists of a room
 * (version, joined counts, directory) and the room's current state. Synapse keeps these fields
 * in its `room_stats_*` tables; Axon reads them from the state when asked, since the admin API
 * is the only reader.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { ClientRoomserverAPI, RoomListingEntry, StoredRoomEvent } from '../../roomserver/api.js';

/** The fields of a room in `GET /_synapse/admin/v1/rooms`, with Synapse's names. */
export interface AdminRoomStats {
  readonly room_id: string;
  readonly name: string | null;
  readonly canonical_alias: string | null;
  readonly joined_members: number;
  readonly joined_local_members: number;
  readonly version: string;
  readonly creator: string | null;
  readonly encryption: string | null;
  readonly federatable: boolean;
  readonly public: boolean;
  readonly join_rules: string | null;
  readonly guest_access: string | null;
  readonly history_visibility: string | null;
  readonly state_events: number;
  readonly room_type: string | null;
}

/** What the details route adds from the same state. */
export interface AdminRoomStateExtras {
  readonly avatar: string | null;
  readonly topic: string | null;
  readonly tombstoned: boolean;
  readonly replacement_room: string | null;
}

/** A room's listing entry and its current state events. */
export interface AdminRoomSource {
  readonly entry: RoomListingEntry;
  readonly state: readonly StoredRoomEvent[];
}

/** The content of the state event `type` with the empty state key, if the room has one. */
function contentOf(state: readonly StoredRoomEvent[], type: string): JsonObject | undefined {
  const found = state.find((e) => e.event.type === type && e.event.state_key === '');
  return found && isJsonObject(found.event.content) ? found.event.content : undefined;
}

function stringField(content: JsonObject | undefined, key: string): string | null {
  const v = content?.[key];
  return typeof v === 'string' ? v : null;
}

/**
 * The create event's sender is the creator: rooms before v11 also name one in `content.creator`,
 * which is preferred when present since that is what Synapse records.
 */
function creatorOf(state: readonly StoredRoomEvent[]): string | null {
  const create = state.find((e) => e.event.type === 'm.room.create' && e.event.state_key === '');
  if (!create) return null;
  const content = isJsonObject(create.event.content) ? create.event.content : {};
  if (typeof content.creator === 'string') return content.creator;
  return typeof create.event.sender === 'string' ? create.event.sender : null;
}

/** The list fields of one room. */
export function adminRoomStats({ entry, state }: AdminRoomSource): AdminRoomStats {
  const create = contentOf(state, 'm.room.create');
  return {
    room_id: entry.roomId,
    name: stringField(contentOf(state, 'm.room.name'), 'name'),
    canonical_alias: stringField(contentOf(state, 'm.room.canonical_alias'), 'alias'),
    joined_members: entry.joinedMembers,
    joined_local_members: entry.joinedLocalMembers,
    version: entry.roomVersion,
    creator: creatorOf(state),
    encryption: stringField(contentOf(state, 'm.room.encryption'), 'algorithm'),
    federatable: create?.['m.federate'] !== false,
    public: entry.published,
    join_rules: stringField(contentOf(state, 'm.room.join_rules'), 'join_rule'),
    guest_access: stringField(contentOf(state, 'm.room.guest_access'), 'guest_access'),
    history_visibility: stringField(contentOf(state, 'm.room.history_visibility'), 'history_visibility'),
    state_events: state.length,
    room_type: stringField(create, 'type'),
  };
}

/** The details route's extra fields that come from the state. */
export function adminRoomStateExtras(state: readonly StoredRoomEvent[]): AdminRoomStateExtras {
  const tombstone = contentOf(state, 'm.room.tombstone');
  return {
    avatar: stringField(contentOf(state, 'm.room.avatar'), 'url'),
    topic: stringField(contentOf(state, 'm.room.topic'), 'topic'),
    tombstoned: tombstone !== undefined,
    replacement_room: stringField(tombstone, 'replacement_room'),
  };
}

/**
 * The current state of each room, one roomserver call per room. The admin list needs it for all
 * rooms whenever it sorts or searches by a state-derived field; admin calls are rare, so this
 * cost is accepted rather than keeping Synapse's denormalised stats tables up to date.
 */
export async function loadAdminRoomSources(rs: ClientRoomserverAPI, entries: readonly RoomListingEntry[]): Promise<AdminRoomSource[]> {
  const sources: AdminRoomSource[] = [];
  for (const entry of entries) {
    const { events } = await rs.queryState({ roomId: entry.roomId });
    sources.push({ entry, state: events });
  }
  return sources;
}
