/**
 * The roomserver's tables as Kysely sees them. Everything is keyed by numeric IDs (NIDs)
 * internally: rows referencing events, rooms, event types and state keys carry integers, so
 * state blocks and indexes stay small. Booleans are INTEGER 0/1 and JSON is TEXT on both engines.
 */
import type { Generated } from 'kysely';

export interface RoomsTable {
  room_nid: Generated<number>;
  room_id: string;
  room_version: string;
  /** The current state snapshot; 0 while the room has no state yet (only invites or outliers). */
  state_snapshot_nid: number;
  /** JSON array of the event NIDs of the forward extremities. */
  latest_event_nids: string;
  /** Bumped once per event stored with state, so outputs of a room can be ordered. */
  last_stream_pos: number;
}

export interface EventTypesTable {
  event_type_nid: Generated<number>;
  event_type: string;
}

export interface EventStateKeysTable {
  event_state_key_nid: Generated<number>;
  event_state_key: string;
}

export interface EventsTable {
  event_nid: Generated<number>;
  event_id: string;
  room_nid: number;
  event_type_nid: number;
  /** null for message events (a state key of `""` has a NID like any other). */
  event_state_key_nid: number | null;
  depth: number;
  sender: string;
  origin_server_ts: number;
  /** The PDU exactly as stored, re-served without re-serialising (redacted in place once validated). */
  json: string;
  /** JSON arrays of event IDs, in PDU order: walking the DAG needs no JSON parse of the PDU. */
  prev_event_ids: string;
  auth_event_ids: string;
  rejected: number;
  rejection_reason: string | null;
  outlier: number;
  /** Passed auth at its place in the DAG but not against the current state: stored, never served. */
  soft_failed: Generated<number>;
  /** The validated redaction that redacted this event. */
  redacted_by: string | null;
  /** Snapshots of the state before and after the event; 0 when unknown (outliers). */
  state_before_nid: number;
  state_after_nid: number;
}

export interface PreviousEventsTable {
  /** Kept as an ID: the referenced event may not be stored (yet). */
  prev_event_id: string;
  event_nid: number;
}

export interface StateBlocksTable {
  state_block_nid: Generated<number>;
  /** SHA-256 of `entries`: identical blocks are stored once. */
  hash: string;
  /** Flat JSON array `[type NID, state-key NID, event NID, …]`, sorted by (type, state key). */
  entries: string;
  entry_count: number;
}

export interface StateSnapshotsTable {
  state_snapshot_nid: Generated<number>;
  room_nid: number;
  /** SHA-256 of `block_nids`, to find an identical snapshot of the room. */
  hash: string;
  /** JSON array: one block NID per hash bucket (0 = empty bucket); its length is a power of two. */
  block_nids: string;
  entry_count: number;
}

export interface MembershipTable {
  room_nid: number;
  /** The state-key NID of the target user. */
  target_nid: number;
  /** The target's server name, for the joined-servers query. */
  target_server: string;
  membership: string;
  sender: string;
  event_nid: number;
}

export interface InvitesTable {
  invite_event_id: string;
  /** An ID, not a NID: we may be invited to a room we know nothing else about. */
  room_id: string;
  target_user_id: string;
  sender: string;
  /** JSON array of stripped state events, or null. */
  stripped_state: string | null;
  event_json: string;
  retired: number;
}

export interface RoomAliasesTable {
  alias: string;
  room_id: string;
  creator_id: string;
}

export interface PublishedTable {
  room_id: string;
  /** `""` for the server's own directory. */
  appservice_id: string;
  network_id: string;
  published: number;
}

export interface RedactionsTable {
  redaction_event_id: string;
  redacts_event_id: string;
  validated: number;
}

/** Idempotency of local sends: a device's transaction ID in a room → the event it produced. */
export interface TransactionsTable {
  room_id: string;
  user_id: string;
  device_id: string;
  transaction_id: string;
  event_id: string;
}

export interface RoomserverTables {
  roomserver_rooms: RoomsTable;
  roomserver_event_types: EventTypesTable;
  roomserver_event_state_keys: EventStateKeysTable;
  roomserver_events: EventsTable;
  roomserver_previous_events: PreviousEventsTable;
  roomserver_state_blocks: StateBlocksTable;
  roomserver_state_snapshots: StateSnapshotsTable;
  roomserver_membership: MembershipTable;
  roomserver_invites: InvitesTable;
  roomserver_room_aliases: RoomAliasesTable;
  roomserver_published: PublishedTable;
  roomserver_redactions: RedactionsTable;
  roomserver_transactions: TransactionsTable;
}
