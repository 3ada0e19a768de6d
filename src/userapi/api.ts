/**
 * The userapi's internal API: accounts, devices and access tokens, profiles, account data,
 * push rules, registration tokens and user-interactive-auth sessions. Every method takes one
 * JSON-safe request and returns one JSON-safe response, so the same calls work in-process and
 * over the generated inthttp client. Callers get the narrow interface they need
 * (`ClientUserAPI`, `SyncUserAPI`, `FederationUserAPI`).
 */
import type { JsonObject, JsonValue } from '../matrix/json.js';

/** What kind of account: guests have restricted access, admins may use admin routes. */
export type AccountType = 'user' | 'guest' | 'admin' | 'appservice';

export interface Account {
  readonly userId: string;
  readonly localpart: string;
  readonly accountType: AccountType;
  readonly isAdmin: boolean;
  readonly deactivated: boolean;
  /** The application service that owns the account, if any. */
  readonly appserviceId: string | null;
  readonly createdTs: number;
  /** Locked by an admin (spec "Account locking"): only logout works, login is refused. */
  readonly locked: boolean;
  /** Suspended by an admin (spec "Account suspension"): reads work, room actions and profile changes do not. */
  readonly suspended: boolean;
}

export interface Device {
  readonly userId: string;
  readonly deviceId: string;
  readonly displayName: string | null;
  readonly lastSeenTs: number | null;
  readonly lastSeenIp: string | null;
  readonly lastSeenUserAgent: string | null;
}

/** A device with the credentials just issued for it (login, registration, refresh). */
export interface IssuedSession {
  readonly userId: string;
  readonly deviceId: string;
  /** The bearer token; only ever returned here, stored hashed. */
  readonly accessToken: string;
  /** Present when the client asked for refresh tokens. */
  readonly refreshToken: string | null;
  /** Lifetime of the access token in ms when it expires (refresh tokens), else null. */
  readonly expiresInMs: number | null;
}

/** The requester an access token stands for. */
export interface TokenOwner {
  readonly userId: string;
  readonly deviceId: string;
  readonly isGuest: boolean;
  readonly isAdmin: boolean;
  readonly appserviceId: string | null;
  /** The account is locked: the HTTP layer answers M_USER_LOCKED to all but logout. */
  readonly locked: boolean;
  /** The account is suspended: routes that act refuse with M_USER_SUSPENDED. */
  readonly suspended: boolean;
}

export interface ProfileFields {
  readonly displayname?: string;
  readonly avatar_url?: string;
  /** Custom profile fields (spec v1.16) and any other keys, by name. */
  readonly [field: string]: unknown;
}

export interface RegistrationToken {
  readonly token: string;
  readonly usesAllowed: number | null;
  readonly pending: number;
  readonly completed: number;
  readonly expiryTime: number | null;
}

/** One step of user-interactive auth recorded in a session. */
export interface UiaSession {
  readonly sessionId: string;
  /** Stage types completed so far, e.g. `m.login.dummy`. */
  readonly completed: readonly string[];
  /** Data the stages or the original request stored (e.g. the registration body). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly createdTs: number;
}

// ---------------------------------------------------------------- requests and responses

export interface PerformAccountCreationRequest {
  readonly localpart: string;
  /** Plain password; hashed with argon2id off the event loop. Absent for guests / appservice users. */
  readonly password?: string;
  readonly accountType: AccountType;
  readonly appserviceId?: string;
  /** Initial display name (defaults to the localpart, as Synapse does; guests get none). */
  readonly displayName?: string;
}
export interface PerformAccountCreationResponse {
  readonly account: Account;
}

export interface QueryAccountAvailabilityRequest {
  readonly localpart: string;
}
export interface QueryAccountAvailabilityResponse {
  readonly available: boolean;
}

export interface QueryAccountRequest {
  readonly userId: string;
}
export interface QueryAccountResponse {
  readonly account: Account | null;
}

export interface QueryPasswordCheckRequest {
  readonly userId: string;
  readonly password: string;
}
/** `ok` false for an unknown user, a wrong password or a deactivated account (not told apart). */
export interface QueryPasswordCheckResponse {
  readonly ok: boolean;
}

export interface PerformPasswordUpdateRequest {
  readonly userId: string;
  readonly newPassword: string;
  /** Log out every device except `keepDeviceId`. */
  readonly logoutDevices: boolean;
  readonly keepDeviceId?: string;
}
export type EmptyResponse = Record<string, never>;

export interface PerformAccountDeactivationRequest {
  readonly userId: string;
  /** Also clear the profile (erase). */
  readonly erase: boolean;
}

/** Locks (`locked` true) or unlocks a local account (spec "Account locking"). */
export interface PerformAccountLockUpdateRequest {
  readonly userId: string;
  readonly locked: boolean;
}
export interface PerformAccountLockUpdateResponse {
  /** The state now in force. */
  readonly locked: boolean;
}

/** Suspends (`suspended` true) or unsuspends a local account (spec "Account suspension"). */
export interface PerformAccountSuspensionUpdateRequest {
  readonly userId: string;
  readonly suspended: boolean;
}
export interface PerformAccountSuspensionUpdateResponse {
  /** The state now in force. */
  readonly suspended: boolean;
}

/** Re-activates a deactivated local account (Synapse's admin API); it has no password until one is set. */
export interface PerformAccountReactivationRequest {
  readonly userId: string;
}

/** Makes a local account a server admin (`admin` true) or not (Synapse's admin API). */
export interface PerformAccountAdminUpdateRequest {
  readonly userId: string;
  readonly admin: boolean;
}
export interface PerformAccountAdminUpdateResponse {
  /** The state now in force. */
  readonly admin: boolean;
}

/** What an account list may be ordered by; ties are broken by ascending user ID. */
export type AccountListOrder = 'name' | 'guest' | 'admin' | 'deactivated' | 'locked' | 'displayname' | 'avatarUrl' | 'creationTs' | 'lastSeenTs';

/** A page of local accounts (Synapse's `GET /_synapse/admin/v2/users`). */
export interface QueryAccountsRequest {
  /** Accounts to skip (Synapse's offset token `from`). */
  readonly offset: number;
  readonly limit: number;
  /** Only accounts whose localpart or display name contains this (ignoring case); `userIdContains` is then ignored. */
  readonly nameContains?: string;
  /** Only accounts whose full user ID contains this (ignoring case). */
  readonly userIdContains?: string;
  readonly includeGuests: boolean;
  readonly includeDeactivated: boolean;
  readonly includeLocked: boolean;
  /** Only admins (true), only non-admins (false), or both (absent). */
  readonly admins?: boolean;
  readonly orderBy: AccountListOrder;
  readonly descending: boolean;
}
/** A listed account with its profile and the latest time any of its devices was seen. */
export interface ListedAccount extends Account {
  readonly displayname: string | null;
  readonly avatarUrl: string | null;
  readonly lastSeenTs: number | null;
}
export interface QueryAccountsResponse {
  readonly accounts: readonly ListedAccount[];
  /** How many accounts match the filters in all. */
  readonly total: number;
}

export interface PerformDeviceCreationRequest {
  readonly userId: string;
  /** Reuse this device ID (re-login replaces its tokens), else a new random one. */
  readonly deviceId?: string;
  readonly displayName?: string;
  readonly ip?: string;
  readonly userAgent?: string;
  /** Issue a refresh token and an expiring access token. */
  readonly refreshToken?: boolean;
}
export interface PerformDeviceCreationResponse {
  readonly session: IssuedSession;
}

export interface QueryAccessTokenRequest {
  readonly accessToken: string;
}
/** `owner` null and `expired` false: unknown token; `expired` true: soft logout. */
export interface QueryAccessTokenResponse {
  readonly owner: TokenOwner | null;
  readonly expired: boolean;
}

export interface PerformTokenRefreshRequest {
  readonly refreshToken: string;
}
export interface PerformTokenRefreshResponse {
  readonly session: IssuedSession;
}

export interface PerformDeviceDeletionRequest {
  readonly userId: string;
  /** The devices to delete; every device when absent. */
  readonly deviceIds?: readonly string[];
  /** Never delete this one (logout of other devices after a password change). */
  readonly exceptDeviceId?: string;
}
export interface PerformDeviceDeletionResponse {
  readonly deletedDeviceIds: readonly string[];
}

export interface PerformDeviceUpdateRequest {
  readonly userId: string;
  readonly deviceId: string;
  readonly displayName: string | null;
}
/** `found` false when the thing addressed (device, token …) does not exist. */
export interface FoundResponse {
  readonly found: boolean;
}

export interface PerformLastSeenUpdateRequest {
  readonly userId: string;
  readonly deviceId: string;
  readonly ip: string;
  readonly userAgent: string | null;
}

export interface QueryDevicesRequest {
  readonly userId: string;
  /** Only these devices, when given. */
  readonly deviceIds?: readonly string[];
}
export interface QueryDevicesResponse {
  readonly devices: readonly Device[];
}

export interface PerformLoginTokenCreationRequest {
  readonly userId: string;
  readonly lifetimeMs: number;
}
export interface PerformLoginTokenCreationResponse {
  readonly token: string;
  readonly expiresInMs: number;
}
export interface PerformLoginTokenRedemptionRequest {
  readonly token: string;
}
/** The user the single-use token was for, or null when unknown, used or expired. */
export interface PerformLoginTokenRedemptionResponse {
  readonly userId: string | null;
}

/** An OpenID token for a local user (`POST /user/{userId}/openid/request_token`). */
export interface PerformOpenIdTokenCreationRequest {
  readonly userId: string;
}
export interface PerformOpenIdTokenCreationResponse {
  readonly token: string;
  readonly expiresInMs: number;
}
export interface QueryOpenIdTokenRequest {
  readonly token: string;
}
/** The user an OpenID token was issued to, or null when unknown, expired or the account is deactivated. */
export interface QueryOpenIdTokenResponse {
  readonly userId: string | null;
}

export interface QueryProfileRequest {
  readonly userId: string;
}
/** `found` false when the user does not exist (or is deactivated and erased). */
export interface QueryProfileResponse {
  readonly found: boolean;
  readonly profile: ProfileFields;
}

export interface PerformProfileUpdateRequest {
  readonly userId: string;
  readonly field: string;
  /**
   * The new value. For `displayname` and `avatar_url` it must be a string, and null clears
   * them (their legacy endpoints' meaning); for any other field null is stored as null, as spec
   * v1.16 asks of servers that accept it. Ignored when `remove` is set.
   */
  readonly value: unknown;
  /** Delete the field (`DELETE /profile/{userId}/{keyName}`). */
  readonly remove?: boolean;
}
export interface PerformProfileUpdateResponse {
  readonly profile: ProfileFields;
}

export interface PerformAccountDataUpdateRequest {
  readonly userId: string;
  /** Room account data when set, else global. */
  readonly roomId?: string;
  readonly type: string;
  /** The new content; null deletes it (`{}` is a value). */
  readonly content: Record<string, unknown> | null;
}
export interface PerformAccountDataUpdateResponse {
  /** The userapi stream position of the change (for sync tokens). */
  readonly streamPosition: number;
}

export interface QueryAccountDataRequest {
  readonly userId: string;
  /** That room's account data; global account data when absent (unless `includeRooms`). */
  readonly roomId?: string;
  /** With no `roomId`: global account data and every room's (what sync wants). */
  readonly includeRooms?: boolean;
  /** One type, or every type when absent. */
  readonly type?: string;
  /** Only changes after this stream position (incremental sync). */
  readonly since?: number;
}
export interface AccountDataEntry {
  readonly roomId: string | null;
  readonly type: string;
  /**
   * The content; `{}` for a deleted entry. `m.push_rules` comes merged with the server's
   * default rules, as clients expect it in sync.
   */
  readonly content: Record<string, unknown>;
  readonly streamPosition: number;
  /**
   * The entry was deleted. Deleted entries are only returned to `since` queries, so an
   * incremental sync can tell clients (with empty content, as MSC3391 does).
   */
  readonly deleted: boolean;
}
export interface QueryAccountDataResponse {
  readonly entries: readonly AccountDataEntry[];
  /** The user's latest account-data stream position (0 when none), for the next sync token. */
  readonly streamPosition: number;
}

export interface QueryPushRulesRequest {
  readonly userId: string;
}
/** The user's push rules with the server defaults merged in, in the spec's `global` shape. */
export interface QueryPushRulesResponse {
  readonly global: Record<string, unknown>;
}

export interface PerformPushRuleUpdateRequest {
  readonly userId: string;
  readonly kind: 'override' | 'underride' | 'sender' | 'room' | 'content';
  readonly ruleId: string;
  /** What to do: put a whole rule (with `before`/`after`), delete it, or set `enabled`/`actions`. */
  readonly op:
    | { readonly type: 'put'; readonly rule: Record<string, unknown>; readonly before?: string; readonly after?: string }
    | { readonly type: 'delete' }
    | { readonly type: 'enabled'; readonly enabled: boolean }
    | { readonly type: 'actions'; readonly actions: readonly unknown[] };
}

export interface PerformRegistrationTokenCreateRequest {
  /** The token text; random when absent. */
  readonly token?: string;
  readonly length?: number;
  readonly usesAllowed?: number | null;
  readonly expiryTime?: number | null;
}
export interface RegistrationTokenResponse {
  readonly token: RegistrationToken;
}
export interface PerformRegistrationTokenUpdateRequest {
  readonly token: string;
  readonly usesAllowed?: number | null;
  readonly expiryTime?: number | null;
}
export interface QueryRegistrationTokensRequest {
  /** true: only valid tokens; false: only invalid ones; absent: all. */
  readonly valid?: boolean;
}
export interface QueryRegistrationTokensResponse {
  readonly tokens: readonly RegistrationToken[];
}
export interface RegistrationTokenRequest {
  readonly token: string;
}
export interface RegistrationTokenUseRequest {
  readonly token: string;
  /**
   * The UIA session the registration runs in. A use reserved for a session that expires or is
   * deleted before the registration completes is released again (Synapse's behaviour), so an
   * abandoned registration does not burn a limited token.
   */
  readonly sessionId?: string;
}
/** `token` null when no such token exists. */
export interface QueryRegistrationTokenResponse {
  readonly token: RegistrationToken | null;
}
export interface QueryRegistrationTokenValidityResponse {
  readonly valid: boolean;
}

export interface PerformUiaSessionUpdateRequest {
  /** Session to update; a new one is created when absent. */
  readonly sessionId?: string;
  /** A stage to mark completed. */
  readonly completedStage?: string;
  /** Params to merge into the session. */
  readonly params?: Record<string, unknown>;
}
export interface UiaSessionResponse {
  readonly session: UiaSession | null;
}
export interface UiaSessionIdRequest {
  readonly sessionId: string;
}

export interface PerformSharedSecretNonceRequest {
  readonly lifetimeMs: number;
}
export interface PerformSharedSecretNonceResponse {
  readonly nonce: string;
}
export interface PerformSharedSecretNonceUseRequest {
  readonly nonce: string;
}
/** true when the nonce existed, was unexpired, and is now used up. */
export interface PerformSharedSecretNonceUseResponse {
  readonly ok: boolean;
}

/** A presence state (spec: `m.presence`). */
export type PresenceState = 'online' | 'unavailable' | 'offline';

export interface PerformPresenceUpdateRequest {
  readonly userId: string;
  readonly presence: PresenceState;
  /** The status message; absent or null clears it, and going `offline` always clears it (as Synapse does). */
  readonly statusMsg?: string | null;
}
/** A user's presence as of the request. */
export interface UserPresence {
  readonly userId: string;
  readonly presence: PresenceState;
  readonly statusMsg: string | null;
  /** The user's last activity (ms since the epoch), null when never active. */
  readonly lastActiveTs: number | null;
  /** ms from `lastActiveTs` to the time of the request, null when never active. */
  readonly lastActiveAgo: number | null;
  /** `online` and active within the last minute: clients treat the user as active whatever `lastActiveAgo` says. */
  readonly currentlyActive: boolean;
  /** The server-wide presence stream position of the user's latest change; 0 when they never set one. */
  readonly streamPosition: number;
}
export interface PerformPresenceUpdateResponse {
  readonly presence: UserPresence;
}
/** Another server's user's presence, from an `m.presence` EDU. */
export interface PerformRemotePresenceUpdateRequest {
  readonly userId: string;
  readonly presence: PresenceState;
  readonly statusMsg?: string | null;
  /** Their last activity (now minus the EDU's `last_active_ago`); null keeps what we had. */
  readonly lastActiveTs: number | null;
}
export interface PerformRemotePresenceUpdateResponse {
  readonly streamPosition: number;
}
export interface QueryPresenceRequest {
  readonly userIds: readonly string[];
}
export interface QueryPresenceResponse {
  /**
   * One entry per distinct local user asked for that has an account, in the order asked (a
   * user who never set presence is `offline`), and per remote user whose server sent us their
   * presence; other remote users and unknown local users are left out.
   */
  readonly presences: readonly UserPresence[];
}

export interface QuerySearchUserDirectoryRequest {
  /** The local user searching: who they share rooms with decides whom they can find. */
  readonly searcherId: string;
  /** Matched case-insensitively as word prefixes of user IDs and display names. */
  readonly term: string;
  /** Most results to return (the route clamps it to 0…50). */
  readonly limit: number;
}
/** A user found in the directory. */
export interface UserDirectoryResult {
  readonly userId: string;
  /** Local users: their global profile; remote users: their latest join event's. */
  readonly displayName: string | null;
  readonly avatarUrl: string | null;
}
export interface QuerySearchUserDirectoryResponse {
  /** Users sharing a room with the searcher first, then by display name (else localpart), then user ID. */
  readonly results: readonly UserDirectoryResult[];
  /** More users matched than `limit`. */
  readonly limited: boolean;
}

export interface PerformFilterCreateRequest {
  readonly userId: string;
  /** The filter as the client uploaded it, already validated (the clientapi does that); stored as canonical JSON. */
  readonly filter: Record<string, unknown>;
}
export interface PerformFilterCreateResponse {
  /** The filter's ID: the same for the same filter JSON (keys in any order) uploaded again. */
  readonly filterId: string;
}
export interface QueryFilterRequest {
  readonly userId: string;
  readonly filterId: string;
}
/** `filter` null when the user has no filter by that ID (another user's filter included). */
export interface QueryFilterResponse {
  readonly filter: Record<string, unknown> | null;
}

/** A backed-up megolm session key (spec `KeyBackupData`); the server stores `sessionData` unread. */
export interface KeyBackupSessionKey {
  readonly firstMessageIndex: number;
  readonly forwardedCount: number;
  /** Whether the uploading device had verified the device the key came from. */
  readonly isVerified: boolean;
  /** The encrypted key, in the backup algorithm's format. */
  readonly sessionData: Record<string, unknown>;
}
/** Backed-up keys by room ID, then by session ID. */
export type KeyBackupRooms = Readonly<Record<string, Readonly<Record<string, KeyBackupSessionKey>>>>;
/** A live backup version (`GET /room_keys/version[/{version}]`). */
export interface KeyBackupVersion {
  /** Decimal, increasing with each new backup of the user. */
  readonly version: string;
  readonly algorithm: string;
  readonly authData: Record<string, unknown>;
  /** Opaque; changes whenever the version's keys change. */
  readonly etag: string;
  /** How many keys the version holds. */
  readonly count: number;
}
export interface PerformKeyBackupVersionCreateRequest {
  readonly userId: string;
  readonly algorithm: string;
  readonly authData: Record<string, unknown>;
}
export interface PerformKeyBackupVersionCreateResponse {
  readonly version: string;
}
export interface QueryKeyBackupVersionRequest {
  readonly userId: string;
  /** The user's current version when absent. */
  readonly version?: string;
}
/** `backup` null when the version is unknown or deleted (or, for the current one, the user has no backup). */
export interface QueryKeyBackupVersionResponse {
  readonly backup: KeyBackupVersion | null;
}
export interface PerformKeyBackupVersionUpdateRequest {
  readonly userId: string;
  readonly version: string;
  /** Must be the version's algorithm: only `authData` can change. */
  readonly algorithm: string;
  readonly authData: Record<string, unknown>;
}
export interface KeyBackupVersionRequest {
  readonly userId: string;
  readonly version: string;
}
export interface PerformKeyBackupKeysUploadRequest {
  readonly userId: string;
  readonly version: string;
  readonly rooms: KeyBackupRooms;
}
/** A version's keys after a change (`RoomKeysUpdateResponse`). */
export interface KeyBackupKeysStateResponse {
  readonly etag: string;
  readonly count: number;
}
/** Which keys of a version: all, one room's (`roomId`), or one session's (`roomId` and `sessionId`). */
export interface KeyBackupKeysRequest {
  readonly userId: string;
  readonly version: string;
  readonly roomId?: string;
  /** Only with `roomId`. */
  readonly sessionId?: string;
}
/** `rooms` null when the version is unknown or deleted; rooms without keys in the scope are left out. */
export interface QueryKeyBackupKeysResponse {
  readonly rooms: KeyBackupRooms | null;
}

// ---------------------------------------------------------------- E2EE keys (device, one-time, fallback, cross-signing)

/** Keys by `<algorithm>:<key id>`, as `/keys/upload` and `/keys/claim` carry them. */
export type KeysByKeyId = Readonly<Record<string, JsonValue>>;

export interface PerformUploadKeysRequest {
  readonly userId: string;
  /** The uploading device (from the access token). */
  readonly deviceId: string;
  /** The device's signed `DeviceKeys`; its `user_id`/`device_id` must be the uploader's. */
  readonly deviceKeys?: JsonObject;
  readonly oneTimeKeys?: KeysByKeyId;
  /** At most one per algorithm; replaces the device's previous fallback key of that algorithm. */
  readonly fallbackKeys?: KeysByKeyId;
}
export interface PerformUploadKeysResponse {
  /** Unclaimed one-time keys of the device per algorithm (algorithms with none left out). */
  readonly oneTimeKeyCounts: Readonly<Record<string, number>>;
}

export interface QueryKeysRequest {
  /** Device IDs wanted per user; an empty list means every device. Remote users are ignored. */
  readonly userIds: Readonly<Record<string, readonly string[]>>;
  /** Who asks: only they see their own user-signing key and their signatures of others' master keys. */
  readonly requestingUserId: string;
}
export interface QueryKeysResponse {
  /**
   * Device keys by user then device ID, each with `unsigned.device_display_name` when the device
   * has one. Every local user asked for is present, with `{}` when unknown or keyless.
   */
  readonly deviceKeys: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
  readonly masterKeys: Readonly<Record<string, JsonObject>>;
  readonly selfSigningKeys: Readonly<Record<string, JsonObject>>;
  /** Only the requesting user's own, when they asked for themselves. */
  readonly userSigningKeys: Readonly<Record<string, JsonObject>>;
}

export interface PerformClaimKeysRequest {
  /** The algorithm wanted, by user then device ID. Remote users are ignored. */
  readonly oneTimeKeys: Readonly<Record<string, Readonly<Record<string, string>>>>;
}
export interface PerformClaimKeysResponse {
  /** One key per device that had one (a one-time key, else its fallback key), by user, device, key ID. */
  readonly oneTimeKeys: Readonly<Record<string, Readonly<Record<string, KeysByKeyId>>>>;
}

export interface QueryOneTimeKeyCountsRequest {
  readonly userId: string;
  readonly deviceId: string;
}
/** What `/sync` tells a device about its keys. */
export interface QueryOneTimeKeyCountsResponse {
  /** `device_one_time_keys_count`: unclaimed one-time keys per algorithm. */
  readonly oneTimeKeyCounts: Readonly<Record<string, number>>;
  /** `device_unused_fallback_key_types`: algorithms whose fallback key has not been claimed. */
  readonly unusedFallbackKeyTypes: readonly string[];
}

/** `/keys/device_signing/upload`: keys left out stay as they are. */
export interface PerformUploadDeviceSigningKeysRequest {
  readonly userId: string;
  readonly master?: JsonObject;
  readonly selfSigning?: JsonObject;
  readonly userSigning?: JsonObject;
}
/** Whether an upload of cross-signing keys needs user-interactive auth (spec v1.11's exceptions). */
export interface QueryDeviceSigningUploadNeedsAuthResponse {
  /** false when the user has no master key yet, or every key given equals the stored one. */
  readonly needsAuth: boolean;
}

export interface PerformUploadKeySignaturesRequest {
  /** The uploader. */
  readonly userId: string;
  /** Signed objects by user then key ID (a device ID or a cross-signing public key). */
  readonly signatures: Readonly<Record<string, Readonly<Record<string, JsonObject>>>>;
}
export interface PerformUploadKeySignaturesResponse {
  /** Errors by user then key ID (`M_INVALID_SIGNATURE`, `M_NOT_FOUND`, `M_INVALID_PARAM` …). */
  readonly failures: Readonly<Record<string, Readonly<Record<string, { readonly errcode: string; readonly error: string }>>>>;
}

export interface QueryKeyChangesRequest {
  /** Exclusive. */
  readonly fromPos: number;
  /** Inclusive. */
  readonly toPos: number;
}
export interface QueryKeyChangesResponse {
  /** Local users whose device or cross-signing keys changed in (`fromPos`, `toPos`], sorted. */
  readonly userIds: readonly string[];
  /** The latest key change position (the `device_list` stream's end). */
  readonly latestPos: number;
}
export interface QueryDeviceListRequest {
  /** A local user. */
  readonly userId: string;
}
/** One device of a {@link QueryDeviceListResponse}. */
export interface DeviceListEntry {
  readonly deviceId: string;
  /** Its signed `DeviceKeys` as `/keys/query` serves them to other users (no `unsigned`). */
  readonly keys: JsonObject;
  readonly displayName: string | null;
}
/** A local user's device list as other servers see it (federation `/user/devices/{userId}`). */
export interface QueryDeviceListResponse {
  /** The user's latest key change position (0 when none): the next update's `prev_id`. */
  readonly streamId: number;
  /** The devices that have keys. */
  readonly devices: readonly DeviceListEntry[];
  readonly masterKey: JsonObject | null;
  readonly selfSigningKey: JsonObject | null;
}

export type QueryLatestKeyChangePosRequest = Record<string, never>;
export interface QueryLatestKeyChangePosResponse {
  readonly position: number;
}

// ---------------------------------------------------------------- the interfaces

/** What the clientapi calls. */
export interface ClientUserAPI {
  performAccountCreation(req: PerformAccountCreationRequest): Promise<PerformAccountCreationResponse>;
  queryAccountAvailability(req: QueryAccountAvailabilityRequest): Promise<QueryAccountAvailabilityResponse>;
  queryAccount(req: QueryAccountRequest): Promise<QueryAccountResponse>;
  queryPasswordCheck(req: QueryPasswordCheckRequest): Promise<QueryPasswordCheckResponse>;
  performPasswordUpdate(req: PerformPasswordUpdateRequest): Promise<EmptyResponse>;
  performAccountDeactivation(req: PerformAccountDeactivationRequest): Promise<EmptyResponse>;
  /** Locks or unlocks an account (read back with `queryAccount`); M_NOT_FOUND for unknown, remote or deactivated users. */
  performAccountLockUpdate(req: PerformAccountLockUpdateRequest): Promise<PerformAccountLockUpdateResponse>;
  /** Suspends or unsuspends an account (read back with `queryAccount`); M_NOT_FOUND for unknown, remote or deactivated users. */
  performAccountSuspensionUpdate(req: PerformAccountSuspensionUpdateRequest): Promise<PerformAccountSuspensionUpdateResponse>;
  /** Re-activates a deactivated account (an active one is left alone); M_NOT_FOUND for unknown or remote users. */
  performAccountReactivation(req: PerformAccountReactivationRequest): Promise<EmptyResponse>;
  /** Sets a local account's server-admin flag (deactivated accounts too); M_NOT_FOUND for unknown or remote users. */
  performAccountAdminUpdate(req: PerformAccountAdminUpdateRequest): Promise<PerformAccountAdminUpdateResponse>;
  /** A filtered, ordered page of local accounts and how many match in all. */
  queryAccounts(req: QueryAccountsRequest): Promise<QueryAccountsResponse>;
  performDeviceCreation(req: PerformDeviceCreationRequest): Promise<PerformDeviceCreationResponse>;
  queryAccessToken(req: QueryAccessTokenRequest): Promise<QueryAccessTokenResponse>;
  performTokenRefresh(req: PerformTokenRefreshRequest): Promise<PerformTokenRefreshResponse>;
  performDeviceDeletion(req: PerformDeviceDeletionRequest): Promise<PerformDeviceDeletionResponse>;
  performDeviceUpdate(req: PerformDeviceUpdateRequest): Promise<FoundResponse>;
  performLastSeenUpdate(req: PerformLastSeenUpdateRequest): Promise<EmptyResponse>;
  queryDevices(req: QueryDevicesRequest): Promise<QueryDevicesResponse>;
  performLoginTokenCreation(req: PerformLoginTokenCreationRequest): Promise<PerformLoginTokenCreationResponse>;
  performLoginTokenRedemption(req: PerformLoginTokenRedemptionRequest): Promise<PerformLoginTokenRedemptionResponse>;
  /** Issues an OpenID token for an active local user (M_NOT_FOUND, M_USER_DEACTIVATED otherwise). */
  performOpenIdTokenCreation(req: PerformOpenIdTokenCreationRequest): Promise<PerformOpenIdTokenCreationResponse>;
  queryOpenIdToken(req: QueryOpenIdTokenRequest): Promise<QueryOpenIdTokenResponse>;
  queryProfile(req: QueryProfileRequest): Promise<QueryProfileResponse>;
  performProfileUpdate(req: PerformProfileUpdateRequest): Promise<PerformProfileUpdateResponse>;
  performAccountDataUpdate(req: PerformAccountDataUpdateRequest): Promise<PerformAccountDataUpdateResponse>;
  queryAccountData(req: QueryAccountDataRequest): Promise<QueryAccountDataResponse>;
  queryPushRules(req: QueryPushRulesRequest): Promise<QueryPushRulesResponse>;
  performPushRuleUpdate(req: PerformPushRuleUpdateRequest): Promise<EmptyResponse>;
  performRegistrationTokenCreate(req: PerformRegistrationTokenCreateRequest): Promise<RegistrationTokenResponse>;
  performRegistrationTokenUpdate(req: PerformRegistrationTokenUpdateRequest): Promise<QueryRegistrationTokenResponse>;
  performRegistrationTokenDelete(req: RegistrationTokenRequest): Promise<FoundResponse>;
  queryRegistrationTokens(req: QueryRegistrationTokensRequest): Promise<QueryRegistrationTokensResponse>;
  queryRegistrationToken(req: RegistrationTokenRequest): Promise<QueryRegistrationTokenResponse>;
  queryRegistrationTokenValidity(req: RegistrationTokenRequest): Promise<QueryRegistrationTokenValidityResponse>;
  /**
   * Marks one use of the token pending (registration started); throws M_FORBIDDEN when invalid,
   * M_NOT_FOUND when `sessionId` names no live UIA session.
   */
  performRegistrationTokenReserve(req: RegistrationTokenUseRequest): Promise<EmptyResponse>;
  /** Turns a pending use into a completed one (registration succeeded). */
  performRegistrationTokenComplete(req: RegistrationTokenUseRequest): Promise<EmptyResponse>;
  performUiaSessionUpdate(req: PerformUiaSessionUpdateRequest): Promise<UiaSessionResponse>;
  queryUiaSession(req: UiaSessionIdRequest): Promise<UiaSessionResponse>;
  performUiaSessionDelete(req: UiaSessionIdRequest): Promise<EmptyResponse>;
  performSharedSecretNonce(req: PerformSharedSecretNonceRequest): Promise<PerformSharedSecretNonceResponse>;
  performSharedSecretNonceUse(req: PerformSharedSecretNonceUseRequest): Promise<PerformSharedSecretNonceUseResponse>;
  /** Sets a local user's presence and announces it on `OutputPresenceEvent`; `online` records activity now. */
  performPresenceUpdate(req: PerformPresenceUpdateRequest): Promise<PerformPresenceUpdateResponse>;
  queryPresence(req: QueryPresenceRequest): Promise<QueryPresenceResponse>;
  /** Records a remote user's presence from their server's EDU and announces it on `OutputPresenceEvent`. */
  performRemotePresenceUpdate(req: PerformRemotePresenceUpdateRequest): Promise<PerformRemotePresenceUpdateResponse>;
  /**
   * Searches the user directory: users sharing a room with the searcher, users in public rooms
   * and, with `user_directory.search_all_users`, every local user; never deactivated users.
   */
  querySearchUserDirectory(req: QuerySearchUserDirectoryRequest): Promise<QuerySearchUserDirectoryResponse>;
  /** Stores a `/sync` filter of a local user; M_NOT_FOUND for an unknown user, M_USER_DEACTIVATED for a deactivated one. */
  performFilterCreate(req: PerformFilterCreateRequest): Promise<PerformFilterCreateResponse>;
  /** One of the user's stored filters, as stored (canonical JSON parsed back). */
  queryFilter(req: QueryFilterRequest): Promise<QueryFilterResponse>;
  /** Creates a key backup version; it becomes the user's current one. M_NOT_FOUND / M_USER_DEACTIVATED for unknown or deactivated users. */
  performKeyBackupVersionCreate(req: PerformKeyBackupVersionCreateRequest): Promise<PerformKeyBackupVersionCreateResponse>;
  queryKeyBackupVersion(req: QueryKeyBackupVersionRequest): Promise<QueryKeyBackupVersionResponse>;
  /** Replaces a version's `auth_data`: M_NOT_FOUND for an unknown or deleted version, M_INVALID_PARAM for another algorithm. */
  performKeyBackupVersionUpdate(req: PerformKeyBackupVersionUpdateRequest): Promise<EmptyResponse>;
  /** Deletes a version and its keys; a version deleted before is fine, an unknown one M_NOT_FOUND. */
  performKeyBackupVersionDelete(req: KeyBackupVersionRequest): Promise<EmptyResponse>;
  /**
   * Stores keys in the user's current version, each replacing a stored key of its session only
   * when better (spec order: verified, then lower first message index, then lower forwarded
   * count). 403 M_WRONG_ROOM_KEYS_VERSION (with `current_version`) for another version, M_NOT_FOUND without a backup.
   */
  performKeyBackupKeysUpload(req: PerformKeyBackupKeysUploadRequest): Promise<KeyBackupKeysStateResponse>;
  queryKeyBackupKeys(req: KeyBackupKeysRequest): Promise<QueryKeyBackupKeysResponse>;
  /** Deletes a version's keys in the scope; M_NOT_FOUND for an unknown or deleted version. */
  performKeyBackupKeysDelete(req: KeyBackupKeysRequest): Promise<KeyBackupKeysStateResponse>;
  /**
   * Stores a device's keys: device keys (signed by the device, 400 when they differ from its
   * stored identity keys), one-time keys (400 for a known key ID with other content) and
   * fallback keys. Device key changes are announced on `OutputKeyChangeEvent`.
   */
  performUploadKeys(req: PerformUploadKeysRequest): Promise<PerformUploadKeysResponse>;
  /** Local users' device and cross-signing keys (`/keys/query`). */
  queryKeys(req: QueryKeysRequest): Promise<QueryKeysResponse>;
  /** Claims local devices' keys: the oldest one-time key, else the fallback key (`/keys/claim`). */
  performClaimKeys(req: PerformClaimKeysRequest): Promise<PerformClaimKeysResponse>;
  /** A device's one-time key counts and unused fallback key types (for `/sync`). */
  queryOneTimeKeyCounts(req: QueryOneTimeKeyCountsRequest): Promise<QueryOneTimeKeyCountsResponse>;
  /** Validates and stores cross-signing keys (M_INVALID_SIGNATURE, M_MISSING_PARAM, M_FORBIDDEN …). */
  performUploadDeviceSigningKeys(req: PerformUploadDeviceSigningKeysRequest): Promise<EmptyResponse>;
  /** Whether `performUploadDeviceSigningKeys` with this request needs UIA first. */
  queryDeviceSigningUploadNeedsAuth(req: PerformUploadDeviceSigningKeysRequest): Promise<QueryDeviceSigningUploadNeedsAuthResponse>;
  /** Checks and stores signatures of keys (`/keys/signatures/upload`); per-key failures, never a throw for a bad signature. */
  performUploadKeySignatures(req: PerformUploadKeySignaturesRequest): Promise<PerformUploadKeySignaturesResponse>;
  /** Users whose keys changed in a range of the key change log (`/keys/changes`, sync `device_lists`). */
  queryKeyChanges(req: QueryKeyChangesRequest): Promise<QueryKeyChangesResponse>;
  queryLatestKeyChangePos(req: QueryLatestKeyChangePosRequest): Promise<QueryLatestKeyChangePosResponse>;
  /** A local user's device list with its `stream_id`, for other servers (`/user/devices`). */
  queryDeviceList(req: QueryDeviceListRequest): Promise<QueryDeviceListResponse>;
  /** Creates, replaces or deletes a pusher (`POST /pushers/set`). */
  performPusherSet(req: PerformPusherSetRequest): Promise<EmptyResponse>;
  /** The user's pushers (`GET /pushers`). */
  queryPushers(req: QueryPushersRequest): Promise<QueryPushersResponse>;
  /** The user's notifications, newest first (`GET /notifications`). */
  queryNotifications(req: QueryNotificationsRequest): Promise<QueryNotificationsResponse>;
}

// ---- Push: pushers and notifications (spec "Push Notifications") ----

/** A pusher as stored: what `/pushers` lists and where notifications are sent. */
export interface Pusher {
  readonly pushkey: string;
  readonly kind: 'http' | 'email';
  readonly appId: string;
  readonly appDisplayName: string;
  readonly deviceDisplayName: string;
  readonly profileTag: string | null;
  readonly lang: string;
  /** The pusher's `data`: `url` (http pushers), `format`, and whatever else the client gave. */
  readonly data: JsonObject;
  /** When it was last set (ms since the epoch); sent to the gateway as `pushkey_ts` (seconds). */
  readonly pushkeyTs: number;
  /** The device whose session created it: the pusher goes when that device does. */
  readonly deviceId: string | null;
}

/** `POST /pushers/set`: `pusher: null` deletes the pusher `appId`/`pushkey` of the user. */
export interface PerformPusherSetRequest {
  readonly userId: string;
  readonly deviceId: string | null;
  readonly appId: string;
  readonly pushkey: string;
  /** The pusher to create or replace; null for `kind: null` (delete). */
  readonly pusher: Omit<Pusher, 'pushkey' | 'appId' | 'pushkeyTs' | 'deviceId'> | null;
  /** `append`: keep other users' pushers with the same app ID and pushkey. */
  readonly append: boolean;
}

export interface QueryPushersRequest {
  readonly userId: string;
}

export interface QueryPushersResponse {
  readonly pushers: readonly Pusher[];
}

/** `GET /notifications`. */
export interface QueryNotificationsRequest {
  readonly userId: string;
  /** The `next_token` of an earlier page; null for the newest. */
  readonly from: string | null;
  readonly limit: number;
  /** `only=highlight`. */
  readonly onlyHighlight: boolean;
}

export interface NotificationEntry {
  readonly actions: readonly JsonValue[];
  /** The event as clients see it (client format, room_id included). */
  readonly event: JsonObject;
  readonly profileTag: string | null;
  readonly read: boolean;
  readonly roomId: string;
  readonly ts: number;
}

export interface QueryNotificationsResponse {
  readonly notifications: readonly NotificationEntry[];
  /** Absent on the last page. */
  readonly nextToken: string | null;
}

/** What the syncapi calls. */
export type SyncUserAPI = Pick<
  ClientUserAPI,
  'queryAccountData' | 'queryAccessToken' | 'queryDevices' | 'queryProfile' | 'queryPresence' | 'queryFilter' | 'performFilterCreate'
  // `set_presence` of `/sync`.
  | 'performPresenceUpdate'
  // `device_one_time_keys_count` and `device_unused_fallback_key_types` of `/sync`.
  | 'queryOneTimeKeyCounts'
  // `GET /notifications`.
  | 'queryNotifications'
>;

/** What the federationapi calls. */
export type FederationUserAPI = Pick<ClientUserAPI, 'queryProfile' | 'queryDevices' | 'queryAccount' | 'queryPresence'
  // `/user/keys/query`, `/user/keys/claim`, `/user/devices/{userId}`.
  | 'queryKeys' | 'performClaimKeys' | 'queryDeviceList'>;

/** The whole API, as served over inthttp. */
export type UserAPI = ClientUserAPI;

export const UserAPIMethods = {
  performPusherSet: true,
  queryPushers: true,
  queryNotifications: true,
  performAccountCreation: true,
  queryAccountAvailability: true,
  queryAccount: true,
  queryPasswordCheck: true,
  performPasswordUpdate: true,
  performAccountDeactivation: true,
  performAccountLockUpdate: true,
  performAccountSuspensionUpdate: true,
  performAccountAdminUpdate: true,
  performAccountReactivation: true,
  queryAccounts: true,
  performDeviceCreation: true,
  queryAccessToken: true,
  performTokenRefresh: true,
  performDeviceDeletion: true,
  performDeviceUpdate: true,
  performLastSeenUpdate: true,
  queryDevices: true,
  performLoginTokenCreation: true,
  performLoginTokenRedemption: true,
  performOpenIdTokenCreation: true,
  queryOpenIdToken: true,
  queryProfile: true,
  performProfileUpdate: true,
  performAccountDataUpdate: true,
  queryAccountData: true,
  queryPushRules: true,
  performPushRuleUpdate: true,
  performRegistrationTokenCreate: true,
  performRegistrationTokenUpdate: true,
  performRegistrationTokenDelete: true,
  queryRegistrationTokens: true,
  queryRegistrationToken: true,
  queryRegistrationTokenValidity: true,
  performRegistrationTokenReserve: true,
  performRegistrationTokenComplete: true,
  performUiaSessionUpdate: true,
  queryUiaSession: true,
  performUiaSessionDelete: true,
  performSharedSecretNonce: true,
  performSharedSecretNonceUse: true,
  performPresenceUpdate: true,
  queryPresence: true,
  performRemotePresenceUpdate: true,
  querySearchUserDirectory: true,
  performFilterCreate: true,
  queryFilter: true,
  performKeyBackupVersionCreate: true,
  queryKeyBackupVersion: true,
  performKeyBackupVersionUpdate: true,
  performKeyBackupVersionDelete: true,
  performKeyBackupKeysUpload: true,
  queryKeyBackupKeys: true,
  performKeyBackupKeysDelete: true,
  performUploadKeys: true,
  queryKeys: true,
  performClaimKeys: true,
  queryOneTimeKeyCounts: true,
  performUploadDeviceSigningKeys: true,
  queryDeviceSigningUploadNeedsAuth: true,
  performUploadKeySignatures: true,
  queryKeyChanges: true,
  queryLatestKeyChangePos: true,
  queryDeviceList: true,
} as const satisfies Record<keyof UserAPI, true>;
