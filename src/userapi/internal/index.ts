/**
 * The userapi's internal implementation: the operations of this folder bound to one context.
 * In a monolith callers get this object (through `inProcessApi`); in a polylith the inthttp
 * routes serve it.
 */
import type { Logger } from 'pino';
import type { Outbox } from '../../internal/bus/bus.js';
import type { UserAPI } from '../api.js';
import type { UserStorage } from '../storage/index.js';
import type { UserRoomserverAPI } from '../../roomserver/api.js';
import { queryNotifications } from './query-notifications.js';
import { createAccessTokenCache, type AccessTokenCacheOptions } from './access-token-cache.js';
import { performAccountDataUpdate, queryAccountData } from './account-data.js';
import { performLoginTokenCreation, performLoginTokenRedemption } from './login-tokens.js';
import { performOpenIdTokenCreation, queryOpenIdToken } from './openid-tokens.js';
import { performAccountCreation } from './perform-account-creation.js';
import { performAccountDeactivation } from './perform-account-deactivation.js';
import { performAccountAdminUpdate } from './perform-account-admin-update.js';
import { performAccountLockUpdate } from './perform-account-lock-update.js';
import { performAccountReactivation } from './perform-account-reactivation.js';
import { performAccountSuspensionUpdate } from './perform-account-suspension-update.js';
import { performClaimKeys } from './perform-claim-keys.js';
import { performDeviceCreation } from './perform-device-creation.js';
import { performUploadDeviceSigningKeys } from './perform-upload-device-signing-keys.js';
import { performUploadKeySignatures } from './perform-upload-key-signatures.js';
import { performUploadKeys } from './perform-upload-keys.js';
import { queryDeviceSigningUploadNeedsAuth } from './query-device-signing-upload-needs-auth.js';
import { queryKeyChanges, queryLatestKeyChangePos } from './query-key-changes.js';
import { queryDeviceList } from './query-device-list.js';
import { queryKeys } from './query-keys.js';
import { queryOneTimeKeyCounts } from './query-one-time-key-counts.js';
import { performDeviceDeletion } from './perform-device-deletion.js';
import { performDeviceUpdate, performLastSeenUpdate } from './perform-device-update.js';
import { performFilterCreate } from './perform-filter-create.js';
import { performKeyBackupKeysDelete } from './perform-key-backup-keys-delete.js';
import { performKeyBackupKeysUpload } from './perform-key-backup-keys-upload.js';
import { performKeyBackupVersionCreate } from './perform-key-backup-version-create.js';
import { performKeyBackupVersionDelete } from './perform-key-backup-version-delete.js';
import { performKeyBackupVersionUpdate } from './perform-key-backup-version-update.js';
import { performPasswordUpdate } from './perform-password-update.js';
import { performPresenceUpdate } from './perform-presence-update.js';
import { performPusherSet } from './perform-pusher-set.js';
import { performRemotePresenceUpdate } from './perform-remote-presence-update.js';
import { performTokenRefresh } from './perform-token-refresh.js';
import { performProfileUpdate, queryProfile } from './profiles.js';
import { performPushRuleUpdate, queryPushRules } from './push-rules.js';
import { queryAccessToken } from './query-access-token.js';
import { queryAccount, queryAccountAvailability } from './query-account.js';
import { queryAccounts } from './query-accounts.js';
import { queryDevices } from './query-devices.js';
import { queryFilter } from './query-filter.js';
import { queryKeyBackupKeys } from './query-key-backup-keys.js';
import { queryKeyBackupVersion } from './query-key-backup-version.js';
import { queryPasswordCheck } from './query-password-check.js';
import { queryPresence } from './query-presence.js';
import { queryPushers } from './query-pushers.js';
import { querySearchUserDirectory } from './query-search-user-directory.js';
import { performRegistrationTokenComplete, performRegistrationTokenReserve } from './registration-token-uses.js';
import {
  performRegistrationTokenCreate,
  performRegistrationTokenDelete,
  performRegistrationTokenUpdate,
  queryRegistrationToken,
  queryRegistrationTokens,
  queryRegistrationTokenValidity,
} from './registration-tokens.js';
import { performSharedSecretNonce, performSharedSecretNonceUse } from './shared-secret-nonces.js';
import { performUiaSessionDelete, performUiaSessionUpdate, queryUiaSession } from './uia-sessions.js';
import {
  DEFAULT_REFRESHABLE_ACCESS_TOKEN_LIFETIME_MS,
  DEFAULT_UIA_SESSION_LIFETIME_MS,
  outboxFlusher,
  type UserInternalContext,
} from './user-internal-context.js';

export interface UserInternalOptions {
  readonly storage: UserStorage;
  /** This server's name: user IDs are `@localpart:serverName`. */
  readonly serverName: string;
  /** The outbox the storage queues account-data messages in; flushed after each such write. */
  readonly outbox?: Outbox;
  readonly logger?: Logger;
  /** The clock; `Date.now` by default. */
  readonly now?: () => number;
  /** Size and TTL of the access-token cache (10 000 entries, 10 s by default). */
  readonly tokenCache?: AccessTokenCacheOptions;
  /** Lifetime of access tokens that come with a refresh token (5 min by default). */
  readonly refreshableAccessTokenLifetimeMs?: number;
  /** How long a UIA session lives (30 min by default). */
  readonly uiaSessionLifetimeMs?: number;
  /** `user_directory.search_all_users` (false by default). */
  readonly searchAllUsers?: boolean;
  /** The roomserver, for the events of `queryNotifications` (which fails without it). */
  readonly roomserver?: Pick<UserRoomserverAPI, 'queryEvents'>;
}

/** Builds the implementation of {@link UserAPI}. */
export function createUserInternalAPI(opts: UserInternalOptions): UserAPI {
  const ctx: UserInternalContext = {
    storage: opts.storage,
    serverName: opts.serverName,
    now: opts.now ?? Date.now,
    tokenCache: createAccessTokenCache(opts.tokenCache),
    refreshableAccessTokenLifetimeMs: opts.refreshableAccessTokenLifetimeMs ?? DEFAULT_REFRESHABLE_ACCESS_TOKEN_LIFETIME_MS,
    uiaSessionLifetimeMs: opts.uiaSessionLifetimeMs ?? DEFAULT_UIA_SESSION_LIFETIME_MS,
    searchAllUsers: opts.searchAllUsers ?? false,
    flushOutbox: outboxFlusher(opts.outbox, opts.logger),
    logger: opts.logger,
  };
  return {
    performAccountCreation: (req) => performAccountCreation(ctx, req),
    queryAccountAvailability: (req) => queryAccountAvailability(ctx, req),
    queryAccount: (req) => queryAccount(ctx, req),
    queryPasswordCheck: (req) => queryPasswordCheck(ctx, req),
    performPasswordUpdate: (req) => performPasswordUpdate(ctx, req),
    performAccountDeactivation: (req) => performAccountDeactivation(ctx, req),
    performAccountLockUpdate: (req) => performAccountLockUpdate(ctx, req),
    performAccountSuspensionUpdate: (req) => performAccountSuspensionUpdate(ctx, req),
    performAccountAdminUpdate: (req) => performAccountAdminUpdate(ctx, req),
    queryAccounts: (req) => queryAccounts(ctx, req),
    performAccountReactivation: (req) => performAccountReactivation(ctx, req),
    performDeviceCreation: (req) => performDeviceCreation(ctx, req),
    queryAccessToken: (req) => queryAccessToken(ctx, req),
    performTokenRefresh: (req) => performTokenRefresh(ctx, req),
    performDeviceDeletion: (req) => performDeviceDeletion(ctx, req),
    performDeviceUpdate: (req) => performDeviceUpdate(ctx, req),
    performLastSeenUpdate: (req) => performLastSeenUpdate(ctx, req),
    queryDevices: (req) => queryDevices(ctx, req),
    performLoginTokenCreation: (req) => performLoginTokenCreation(ctx, req),
    performLoginTokenRedemption: (req) => performLoginTokenRedemption(ctx, req),
    performOpenIdTokenCreation: (req) => performOpenIdTokenCreation(ctx, req),
    queryOpenIdToken: (req) => queryOpenIdToken(ctx, req),
    queryProfile: (req) => queryProfile(ctx, req),
    performProfileUpdate: (req) => performProfileUpdate(ctx, req),
    performAccountDataUpdate: (req) => performAccountDataUpdate(ctx, req),
    queryAccountData: (req) => queryAccountData(ctx, req),
    queryPushRules: (req) => queryPushRules(ctx, req),
    performPushRuleUpdate: (req) => performPushRuleUpdate(ctx, req),
    performRegistrationTokenCreate: (req) => performRegistrationTokenCreate(ctx, req),
    performRegistrationTokenUpdate: (req) => performRegistrationTokenUpdate(ctx, req),
    performRegistrationTokenDelete: (req) => performRegistrationTokenDelete(ctx, req),
    queryRegistrationTokens: (req) => queryRegistrationTokens(ctx, req),
    queryRegistrationToken: (req) => queryRegistrationToken(ctx, req),
    queryRegistrationTokenValidity: (req) => queryRegistrationTokenValidity(ctx, req),
    performRegistrationTokenReserve: (req) => performRegistrationTokenReserve(ctx, req),
    performRegistrationTokenComplete: (req) => performRegistrationTokenComplete(ctx, req),
    performUiaSessionUpdate: (req) => performUiaSessionUpdate(ctx, req),
    queryUiaSession: (req) => queryUiaSession(ctx, req),
    performUiaSessionDelete: (req) => performUiaSessionDelete(ctx, req),
    performSharedSecretNonce: (req) => performSharedSecretNonce(ctx, req),
    performSharedSecretNonceUse: (req) => performSharedSecretNonceUse(ctx, req),
    performPresenceUpdate: (req) => performPresenceUpdate(ctx, req),
    performRemotePresenceUpdate: (req) => performRemotePresenceUpdate(ctx, req),
    queryPresence: (req) => queryPresence(ctx, req),
    querySearchUserDirectory: (req) => querySearchUserDirectory(ctx, req),
    performFilterCreate: (req) => performFilterCreate(ctx, req),
    queryFilter: (req) => queryFilter(ctx, req),
    performUploadKeys: (req) => performUploadKeys(ctx, req),
    queryKeys: (req) => queryKeys(ctx, req),
    performClaimKeys: (req) => performClaimKeys(ctx, req),
    queryOneTimeKeyCounts: (req) => queryOneTimeKeyCounts(ctx, req),
    performUploadDeviceSigningKeys: (req) => performUploadDeviceSigningKeys(ctx, req),
    queryDeviceSigningUploadNeedsAuth: (req) => queryDeviceSigningUploadNeedsAuth(ctx, req),
    performUploadKeySignatures: (req) => performUploadKeySignatures(ctx, req),
    queryKeyChanges: (req) => queryKeyChanges(ctx, req),
    queryLatestKeyChangePos: (req) => queryLatestKeyChangePos(ctx, req),
    queryDeviceList: (req) => queryDeviceList(ctx, req),
    // Placeholders while the push helpers build them (replaced before this lands).
    performPusherSet: (req) => performPusherSet(ctx, req),
    queryPushers: (req) => queryPushers(ctx, req),
    queryNotifications: (req) => queryNotifications(ctx, opts.roomserver, req),
    performKeyBackupVersionCreate: (req) => performKeyBackupVersionCreate(ctx, req),
    queryKeyBackupVersion: (req) => queryKeyBackupVersion(ctx, req),
    performKeyBackupVersionUpdate: (req) => performKeyBackupVersionUpdate(ctx, req),
    performKeyBackupVersionDelete: (req) => performKeyBackupVersionDelete(ctx, req),
    performKeyBackupKeysUpload: (req) => performKeyBackupKeysUpload(ctx, req),
    queryKeyBackupKeys: (req) => queryKeyBackupKeys(ctx, req),
    performKeyBackupKeysDelete: (req) => performKeyBackupKeysDelete(ctx, req),
  };
}
