/**
 * The syncapi's tables as Kysely sees them. Integers are numbers on both engines (the pg driver
 * is set to parse BIGINT as a number); booleans are 0/1 integers, as SQLite has no boolean type.
 */
import type { Generated } from 'kysely';

/**
 * `syncapi_output_room_events`: every event the roomserver published, in the order this
 * component received it. `id` is the global stream position of the `pdu` stream.
 */
export interface OutputRoomEventsTable {
  id: Generated<number>;
  room_id: string;
  event_id: string;
  type: string;
  sender: string;
  /** null for message events. */
  state_key: string | null;
  /** `content.membership` of member events, null otherwise. */
  membership: string | null;
  depth: number;
  origin_server_ts: number;
  /** The client-format event (`toClientEvent`), without invite/knock stripped state. */
  json: string;
  /** An invite's or knock's stripped state (a JSON array), null otherwise. */
  stripped_state: string | null;
  /** JSON arrays of event IDs: how the room's current state changed with this event. */
  adds_state: string;
  removes_state: string;
  /** 1 when either list is non-empty (indexed: the state changes of a range are read often). */
  changes_state: number;
  /** The sending device and transaction ID of a local send, echoed to that device only. */
  txn_device_id: string | null;
  txn_id: string | null;
  redacted: Generated<number>;
}

/** `syncapi_current_room_state`: each room's current state, one row per (type, state key). */
export interface CurrentRoomStateTable {
  room_id: string;
  type: string;
  state_key: string;
  event_id: string;
  /** The client-format event. */
  json: string;
  membership: string | null;
  /** The stream position at which this entry became current. */
  added_at: number;
}

/**
 * `syncapi_receipts`: the latest receipt of each (room, receipt type, user, thread). `id` is the
 * `receipt` stream position, new each time the receipt moves.
 */
export interface ReceiptsTable {
  id: Generated<number>;
  room_id: string;
  receipt_type: string;
  user_id: string;
  /** The thread root's event ID or `main`; `''` for an unthreaded receipt (a unique key cannot hold NULLs). */
  thread_id: string;
  event_id: string;
  ts: number;
}

/**
 * `syncapi_presence`: each local user's latest presence. `id` is the `presence` stream position,
 * new with each change; `source_position` the userapi's, to drop duplicates and stale updates.
 */
export interface PresenceTable {
  id: Generated<number>;
  user_id: string;
  presence: string;
  status_msg: string | null;
  last_active_ts: number | null;
  currently_active: number;
  source_position: number;
}

export interface SyncapiTables {
  syncapi_output_room_events: OutputRoomEventsTable;
  syncapi_current_room_state: CurrentRoomStateTable;
  syncapi_receipts: ReceiptsTable;
  syncapi_presence: PresenceTable;
  syncapi_sent_members: SentMembersTable;
  syncapi_relations: RelationsTable;
  syncapi_threads: ThreadsTable;
  syncapi_search: SearchTable;
  syncapi_search_fts: SearchFtsTable;
  syncapi_send_to_device: SendToDeviceTable;
  syncapi_device_list_changes: DeviceListChangesTable;
  syncapi_notification_data: NotificationDataTable;
}

/**
 * `syncapi_sent_members`: for lazy-loading `/sync`, the member event each device last received
 * for each member of each room (emptied for a device when it syncs from scratch).
 */
export interface SentMembersTable {
  user_id: string;
  device_id: string;
  room_id: string;
  /** The member's user ID (the member event's state key). */
  member_id: string;
  event_id: string;
}

/**
 * `syncapi_relations`: one row per stored event declaring a relation (`content.m.relates_to`
 * with a `rel_type`), deleted when that event is redacted.
 */
export interface RelationsTable {
  /** The child: the event declaring the relation. */
  event_id: string;
  room_id: string;
  /** The parent's event ID. */
  relates_to: string;
  rel_type: string;
  /** The child's event type. */
  type: string;
  sender: string;
  /** The child's stream position (`syncapi_output_room_events.id`). */
  position: number;
  depth: number;
  origin_server_ts: number;
}

/** `syncapi_threads`: each thread's latest reply, for listing threads by latest activity. */
export interface ThreadsTable {
  room_id: string;
  root_id: string;
  latest_depth: number;
  latest_position: number;
}

/**
 * `syncapi_search`: the full-text index of `/search`, one row per searchable event (see
 * `search-table.ts`), deleted when the event is redacted. PostgreSQL adds a generated `vector`
 * column (a `tsvector` of `text`) that only raw SQL reads.
 */
export interface SearchTable {
  /** The event's stream position (`syncapi_output_room_events.id`). */
  position: number;
  room_id: string;
  type: string;
  sender: string;
  /** The event's searchable words, folded and joined by spaces (`search/search-tokens.ts`). */
  text: string;
}

/** SQLite only: the FTS5 index of `syncapi_search.text`, its rowid the position. */
export interface SearchFtsTable {
  rowid: number;
}

/**
 * `syncapi_send_to_device`: send-to-device messages waiting for a local device, deleted once the
 * device syncs with a token past them. `id` is the `to_device` stream position.
 */
export interface SendToDeviceTable {
  id: Generated<number>;
  user_id: string;
  device_id: string;
  /** The message's ID on the topic: a repeat of a pending message is not stored twice. */
  message_id: string;
  /** The event as `/sync` serves it: `{sender, type, content}`. */
  json: string;
}

/**
 * `syncapi_device_list_changes`: users whose device list or cross-signing keys changed, at their
 * `device_list` stream position (`id`).
 */
export interface DeviceListChangesTable {
  id: Generated<number>;
  user_id: string;
  /** The change's identity on its topic (`local:<userapi position>`, `remote:<message id>`). */
  change_key: string;
}

/**
 * `syncapi_notification_data`: each local user's latest unread counts per room, from the
 * userapi's `OutputNotificationData`. `id` is the `notification_data` stream position, new with
 * each change; `source_position` the userapi's, to drop duplicates and stale messages.
 */
export interface NotificationDataTable {
  id: Generated<number>;
  user_id: string;
  room_id: string;
  notification_count: number;
  highlight_count: number;
  source_position: number;
  /** JSON of the main-timeline / per-thread split (`notification-data-table.ts`); null: all main. */
  thread_counts: string | null;
}
