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

export interface SyncapiTables {
  syncapi_output_room_events: OutputRoomEventsTable;
  syncapi_current_room_state: CurrentRoomStateTable;
}
