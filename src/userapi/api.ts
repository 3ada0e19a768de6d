/**
 * The userapi's internal API: accounts, devices and access tokens, profiles, account data,
 * push rules, registration tokens and user-interactive-auth sessions. Every method takes one
 * JSON-safe request and returns one JSON-safe response, so the same calls work in-process and
 * over the generated inthttp client. Callers get the narrow interface they need
 * (`ClientUserAPI`, `SyncUserAPI`, `FederationUserAPI`).
 */

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

// ---------------------------------------------------------------- the interfaces

/** What the clientapi calls. */
export interface ClientUserAPI {
  performAccountCreation(req: PerformAccountCreationRequest): Promise<PerformAccountCreationResponse>;
  queryAccountAvailability(req: QueryAccountAvailabilityRequest): Promise<QueryAccountAvailabilityResponse>;
  queryAccount(req: QueryAccountRequest): Promise<QueryAccountResponse>;
  queryPasswordCheck(req: QueryPasswordCheckRequest): Promise<QueryPasswordCheckResponse>;
  performPasswordUpdate(req: PerformPasswordUpdateRequest): Promise<EmptyResponse>;
  performAccountDeactivation(req: PerformAccountDeactivationRequest): Promise<EmptyResponse>;
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
}

/** What the syncapi calls. */
export type SyncUserAPI = Pick<
  ClientUserAPI,
  'queryAccountData' | 'queryAccessToken' | 'queryDevices' | 'queryProfile' | 'queryPresence' | 'queryFilter' | 'performFilterCreate'
  // `set_presence` of `/sync`.
  | 'performPresenceUpdate'
>;

/** What the federationapi calls. */
export type FederationUserAPI = Pick<ClientUserAPI, 'queryProfile' | 'queryDevices' | 'queryAccount' | 'queryPresence'>;

/** The whole API, as served over inthttp. */
export type UserAPI = ClientUserAPI;

export const UserAPIMethods = {
  performAccountCreation: true,
  queryAccountAvailability: true,
  queryAccount: true,
  queryPasswordCheck: true,
  performPasswordUpdate: true,
  performAccountDeactivation: true,
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
} as const satisfies Record<keyof UserAPI, true>;
