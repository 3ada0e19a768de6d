/**
 * The userapi's tables as Kysely sees them. Users are keyed by localpart: the userapi only
 * owns accounts of this server. Booleans are INTEGER 0/1 and times are ms since the epoch
 * (BIGINT) on both engines; JSON is stored as TEXT.
 */
import type { Generated } from 'kysely';
import type { KeyBackupKeysTable, KeyBackupVersionsTable } from './key-backup-tables.js';
import type { CrossSigningKeysTable, DeviceKeysTable, FallbackKeysTable, KeyChangesTable, KeyChangeStreamTable, KeySignaturesTable, OneTimeKeysTable } from './key-tables.js';
import type { PushersTable } from './pushers-table.js';

export interface AccountsTable {
  localpart: string;
  /** argon2id (or imported bcrypt) hash; null for accounts without a password. */
  password_hash: string | null;
  account_type: string;
  is_admin: number;
  deactivated: number;
  appservice_id: string | null;
  created_ts: number;
  /** Spec "Account locking": every request but logout fails with M_USER_LOCKED. */
  locked: Generated<number>;
  /** Spec "Account suspension": the account may read but not act in rooms or change its profile. */
  suspended: Generated<number>;
}

export interface DevicesTable {
  localpart: string;
  device_id: string;
  display_name: string | null;
  created_ts: number;
  last_seen_ts: number | null;
  last_seen_ip: string | null;
  last_seen_user_agent: string | null;
}

export interface AccessTokensTable {
  /** SHA-256 of the token, hex. */
  token_hash: string;
  localpart: string;
  device_id: string;
  created_ts: number;
  /** Set for refreshable sessions. */
  expires_ts: number | null;
  /** The refresh token issued together with this access token. */
  refresh_token_id: number | null;
  /**
   * The refresh token whose use created this access token; it and its access token are revoked
   * when this token is first used (spec: the old refresh token stays valid until then).
   */
  replaces_refresh_id: number | null;
}

export interface RefreshTokensTable {
  id: Generated<number>;
  token_hash: string;
  localpart: string;
  device_id: string;
  created_ts: number;
  /** The refresh token issued when this one was used, while that successor is still unused. */
  next_id: number | null;
}

export interface LoginTokensTable {
  token_hash: string;
  localpart: string;
  created_ts: number;
  expires_ts: number;
}

export interface ProfilesTable {
  localpart: string;
  displayname: string | null;
  avatar_url: string | null;
  /** Every other profile field, as a JSON object. */
  custom: string;
  /** Bumped on each write: updates are compare-and-set on it (no row locks on SQLite). */
  version: number;
}

export interface AccountDataTable {
  localpart: string;
  /** Empty string for global account data (a NULL could not be in the primary key). */
  room_id: string;
  type: string;
  /** JSON object; null once deleted (kept so incremental syncs learn of the deletion). */
  content: string | null;
  stream_pos: number;
}

export interface AccountDataStreamsTable {
  localpart: string;
  /** The latest stream position handed out for this user. */
  position: number;
}

export interface RegistrationTokensTable {
  token: string;
  uses_allowed: number | null;
  pending: number;
  completed: number;
  expiry_time: number | null;
}

export interface UiaSessionsTable {
  session_id: string;
  /** JSON array of completed stage types. */
  completed: string;
  /** JSON object. */
  params: string;
  created_ts: number;
  version: number;
  /** A registration token whose use is pending for this session (released on expiry). */
  registration_token: string | null;
}

export interface RegistrationNoncesTable {
  nonce_hash: string;
  expires_ts: number;
}

export interface PresenceTable {
  localpart: string;
  /** `online`, `unavailable` or `offline`. */
  presence: string;
  status_msg: string | null;
  /** null until the user is first active. */
  last_active_ts: number | null;
  /** The server-wide presence stream position of the row's latest change. */
  stream_pos: number;
}

export interface PresenceStreamTable {
  /** Always 1: one server-wide counter. */
  id: number;
  /** The latest presence stream position handed out. */
  position: number;
}

/** A room the user directory has seen, with what makes it public. */
export interface DirectoryRoomsTable {
  room_id: string;
  /** `m.room.join_rules`'s `join_rule`; null when the room has none (or it was removed). */
  join_rule: string | null;
  /** `m.room.history_visibility`'s `history_visibility`; null when none. */
  history_visibility: string | null;
  /** The roomserver stream position last applied: older messages (redeliveries) are skipped. */
  stream_pos: number;
}

/** A user joined to a room the directory has seen (local and remote users). */
export interface DirectoryRoomMembersTable {
  room_id: string;
  user_id: string;
  /** Set for this server's users, to join their account and profile; null for remote users. */
  localpart: string | null;
}

/** A local user's searchable words (see `directory-search-text.ts`), kept with the profile. */
export interface DirectoryLocalUsersTable {
  localpart: string;
  search_text: string;
  sort_name: string;
}

/** A remote user's profile as their latest join event showed it, with its searchable words. */
export interface DirectoryRemoteUsersTable {
  user_id: string;
  display_name: string | null;
  avatar_url: string | null;
  search_text: string;
  sort_name: string;
}

/** A filter a user uploaded for `/sync` (see `filters-table.ts`). */
/** OpenID tokens (`openid-tokens-table.ts`). */
export interface OpenIdTokensTable {
  token_hash: string;
  localpart: string;
  expires_ts: number;
}

export interface FiltersTable {
  /** The filter ID handed to the client, as a decimal string. */
  id: Generated<number>;
  localpart: string;
  /** SHA-256 (hex) of `filter`: unique per user, so the same filter always gets the same ID. */
  filter_hash: string;
  /** The filter as canonical JSON. */
  filter: string;
}

/** Every table of the userapi. */
export interface UserapiTables {
  userapi_accounts: AccountsTable;
  userapi_devices: DevicesTable;
  userapi_access_tokens: AccessTokensTable;
  userapi_refresh_tokens: RefreshTokensTable;
  userapi_login_tokens: LoginTokensTable;
  userapi_profiles: ProfilesTable;
  userapi_account_data: AccountDataTable;
  userapi_account_data_streams: AccountDataStreamsTable;
  userapi_registration_tokens: RegistrationTokensTable;
  userapi_uia_sessions: UiaSessionsTable;
  userapi_registration_nonces: RegistrationNoncesTable;
  userapi_directory_rooms: DirectoryRoomsTable;
  userapi_directory_room_members: DirectoryRoomMembersTable;
  userapi_directory_local_users: DirectoryLocalUsersTable;
  userapi_directory_remote_users: DirectoryRemoteUsersTable;
  userapi_presence: PresenceTable;
  userapi_presence_stream: PresenceStreamTable;
  userapi_filters: FiltersTable;
  userapi_openid_tokens: OpenIdTokensTable;
  userapi_key_backup_versions: KeyBackupVersionsTable;
  userapi_key_backup_keys: KeyBackupKeysTable;
  userapi_device_keys: DeviceKeysTable;
  userapi_one_time_keys: OneTimeKeysTable;
  userapi_fallback_keys: FallbackKeysTable;
  userapi_cross_signing_keys: CrossSigningKeysTable;
  userapi_key_signatures: KeySignaturesTable;
  userapi_key_changes: KeyChangesTable;
  userapi_key_change_stream: KeyChangeStreamTable;
  userapi_pushers: PushersTable;
}
