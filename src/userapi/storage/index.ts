/**
 * The userapi's storage: pragmatic operations over its tables, the same code on SQLite and
 * PostgreSQL. Users are addressed by localpart (the userapi only stores this server's users);
 * secrets arrive already hashed. No SQL, transactions or row IDs cross this interface.
 */
import type { Outbox } from '../../internal/bus/bus.js';
import type { Database } from '../../internal/sqlutil/database.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import { runMigrations } from '../../internal/sqlutil/run-migrations.js';
import type { RegistrationToken, UiaSession } from '../api.js';
import * as accountData from './account-data-table.js';
import type { AccountDataFilter, StoredAccountData } from './account-data-table.js';
import { writeAccountData, type AccountDataWrite } from './account-data-writes.js';
import * as accounts from './accounts-table.js';
import type { AccountListPage, AccountListQuery, AccountModeration, ListedAccount, ModeratedAccount, StoredAccount } from './accounts-table.js';
import * as devices from './devices-table.js';
import type { DeviceSighting, StoredDevice } from './devices-table.js';
import * as filters from './filters-table.js';
import { createKeyBackupStorage, deleteUserKeyBackups, type KeyBackupStorage } from './key-backup-storage.js';
import { createE2eKeyStorage, deviceKeysDropper, type E2eKeyStorage } from './e2e-key-storage.js';
import * as loginTokens from './login-tokens-table.js';
import { createNotificationStorage, type NotificationStorage } from './notification-storage.js';
import * as nonces from './registration-nonces-table.js';
import * as openIdTokens from './openid-tokens-table.js';
import * as presence from './presence-table.js';
import type { PresenceWrite, StoredPresence } from './presence-table.js';
import * as profiles from './profiles-table.js';
import { createPusherStorage, type PusherStorage } from './pusher-storage.js';
import * as pushers from './pushers-table.js';
import type { ProfileContent, StoredProfile } from './profiles-table.js';
import { completeTokenUse, deleteSessionsReleasingUses, reserveTokenUse, type ReserveOutcome, type ReservingSession } from './registration-token-uses.js';
import * as regTokens from './registration-tokens-table.js';
import type { RegistrationTokenChanges } from './registration-tokens-table.js';
import { findAccessToken, openSession, rotateRefreshToken, type NewSession, type RotatedTokens } from './token-sessions.js';
import type { StoredAccessToken } from './tokens-table.js';
import * as uia from './uia-sessions-table.js';
import type { StoredUiaSession, UiaSessionChanges } from './uia-sessions-table.js';
import { USERAPI_MIGRATIONS } from './userapi-migrations.js';
import type { UserapiTables } from './userapi-tables.js';
import { searchUserDirectory, type DirectoryEntry, type DirectorySearch, type DirectorySearchResult } from './user-directory-search.js';
import * as directory from './user-directory-writes.js';
import type { DirectoryChangeOutcome, DirectoryMember, DirectoryRoomChange, DirectoryRoomSnapshot } from './user-directory-writes.js';

export type { AccountDataFilter, AccountDataWrite, DeviceSighting, NewSession, PresenceWrite, ProfileContent, RegistrationTokenChanges, ReserveOutcome };
export type { StoredPresence };
export type { DirectoryChangeOutcome, DirectoryEntry, DirectoryMember, DirectoryRoomChange, DirectoryRoomSnapshot, DirectorySearch, DirectorySearchResult };
export type { AccountModeration, ModeratedAccount };
export type { AccountListPage, AccountListQuery, ListedAccount };
export type { ReservingSession, RotatedTokens, StoredAccessToken, StoredAccount, StoredAccountData, StoredDevice, StoredProfile, StoredUiaSession, UiaSessionChanges };

export interface UserStorage {
  // ---- accounts
  /** Creates the account and its profile; false when the localpart is taken. */
  createAccount(account: StoredAccount, displayName: string | null): Promise<boolean>;
  /** The account with its moderation flags, deactivated or not. */
  getAccount(localpart: string): Promise<ModeratedAccount | undefined>;
  /** Locks or unlocks, suspends or unsuspends an account; false when it is unknown or deactivated. */
  setAccountModeration(localpart: string, flag: keyof AccountModeration, value: boolean): Promise<boolean>;
  /** Makes an account a server admin or not, deactivated or not; false when it is unknown. */
  setAccountAdmin(localpart: string, admin: boolean): Promise<boolean>;
  /** A page of accounts with their profiles, filtered and ordered, and the number matching in all. */
  listAccounts(query: AccountListQuery): Promise<AccountListPage>;
  /**
   * Sets the password hash and, when `logout` is given, deletes every device but
   * `logout.exceptDeviceId`. The deleted device IDs, or undefined when there is no such account.
   */
  setPasswordHash(localpart: string, hash: string, logout?: { readonly exceptDeviceId?: string }): Promise<string[] | undefined>;
  /**
   * Marks the account deactivated, forgets its password, deletes its devices, tokens, login
   * tokens and account data (as Synapse does), and with `erase` its profile. The deleted device IDs, or undefined when no such account.
   */
  deactivateAccount(localpart: string, erase: boolean): Promise<string[] | undefined>;
  /**
   * Makes a deactivated account active again (Synapse's admin re-activation), without a password
   * and with an empty profile if it was erased, and back in the user directory; false when it is
   * unknown or not deactivated. What deactivation deleted stays deleted.
   */
  reactivateAccount(localpart: string): Promise<boolean>;

  // ---- devices and tokens
  /** Creates (or reuses) the device and replaces its tokens. */
  openSession(session: NewSession): Promise<void>;
  /** The owner of an access token (first use of a refreshed token retires the refresh token it replaced). */
  findAccessToken(tokenHash: string): Promise<StoredAccessToken | undefined>;
  /** Uses a refresh token (see `token-sessions.ts`); its device, or undefined when unknown or retired. */
  rotateRefreshToken(oldHash: string, next: RotatedTokens): Promise<{ localpart: string; deviceId: string } | undefined>;
  /** Deletes devices (all when `deviceIds` is absent) but `exceptDeviceId`, with their tokens; the IDs deleted. */
  deleteDevices(localpart: string, deviceIds?: readonly string[], exceptDeviceId?: string): Promise<string[]>;
  /** false when the device does not exist. */
  setDeviceDisplayName(localpart: string, deviceId: string, displayName: string | null): Promise<boolean>;
  recordLastSeen(localpart: string, deviceId: string, seen: DeviceSighting): Promise<void>;
  getDevices(localpart: string, deviceIds?: readonly string[]): Promise<StoredDevice[]>;

  // ---- single-use secrets
  /** Stores a login token (and drops expired ones). */
  addLoginToken(tokenHash: string, localpart: string, createdTs: number, expiresTs: number): Promise<void>;
  /** Consumes a login token; its user if it existed and had not expired. */
  takeLoginToken(tokenHash: string, now: number): Promise<string | undefined>;
  /** Stores an OpenID token (and drops expired ones). */
  addOpenIdToken(tokenHash: string, localpart: string, expiresTs: number, now: number): Promise<void>;
  /** The user of an OpenID token that has not expired at `now` (tokens stay usable until then). */
  getOpenIdToken(tokenHash: string, now: number): Promise<string | undefined>;
  /** Stores a shared-secret registration nonce (and drops expired ones). */
  addNonce(nonceHash: string, expiresTs: number, now: number): Promise<void>;
  /** Consumes a nonce; true if it existed and had not expired. */
  takeNonce(nonceHash: string, now: number): Promise<boolean>;

  // ---- profiles
  getProfile(localpart: string): Promise<StoredProfile | undefined>;
  /** Replaces the profile if still at `expectedVersion`; false when it changed meanwhile or is gone. */
  replaceProfile(localpart: string, content: ProfileContent, expectedVersion: number): Promise<boolean>;

  // ---- account data
  /**
   * Writes (or deletes, content null) an entry and queues its `OutputAccountData` message in
   * the same transaction. The new stream position, or undefined when `expectedPosition` did not hold.
   */
  putAccountData(write: AccountDataWrite): Promise<number | undefined>;
  /** Entries in stream order: existing ones, or with `since` every change after it (deletions as null content). */
  getAccountData(localpart: string, filter: AccountDataFilter): Promise<StoredAccountData[]>;
  /** The user's latest account-data stream position, 0 when none. */
  getAccountDataPosition(localpart: string): Promise<number>;

  // ---- presence
  /**
   * Sets the user's presence and queues its `OutputPresenceEvent` message in the same
   * transaction; the stored result, with its new server-wide stream position.
   */
  putPresence(write: PresenceWrite): Promise<StoredPresence>;
  /** The stored presence of those users that ever set one (any order). */
  getPresence(localparts: readonly string[]): Promise<StoredPresence[]>;
  /** The latest presence stream position, 0 when none. */
  getPresencePosition(): Promise<number>;

  // ---- filters
  /** The ID of the user's filter with this canonical JSON, stored now if new (the same JSON always gets the same ID). */
  putFilter(localpart: string, canonicalJson: string): Promise<string>;
  /** The JSON text of the user's filter `filterId`; undefined when they have none by that ID. */
  getFilter(localpart: string, filterId: string): Promise<string | undefined>;

  // ---- user directory (local users' searchable words follow their profile in the writes above)
  /** The room's last applied roomserver stream position, or undefined when the directory never saw it. */
  getDirectoryRoomPosition(roomId: string): Promise<number | undefined>;
  /** Applies one room's change if newer than what the room has (redeliveries are `stale`). */
  applyDirectoryRoomChange(change: DirectoryRoomChange): Promise<DirectoryChangeOutcome>;
  /** Replaces what is known of a room; false when the room is already at or past the snapshot's position. */
  replaceDirectoryRoom(snapshot: DirectoryRoomSnapshot): Promise<boolean>;
  /** Users visible to the searcher whose IDs or names match the term (see `user-directory-search.ts`). */
  searchUserDirectory(search: DirectorySearch): Promise<DirectorySearchResult>;

  // ---- registration tokens
  /** false when the token exists. */
  createRegistrationToken(token: RegistrationToken): Promise<boolean>;
  getRegistrationToken(token: string): Promise<RegistrationToken | undefined>;
  /** All tokens, or only the valid/invalid ones at `now`, by token. */
  listRegistrationTokens(valid: boolean | undefined, now: number): Promise<RegistrationToken[]>;
  /** false when the token does not exist. */
  updateRegistrationToken(token: string, changes: RegistrationTokenChanges): Promise<boolean>;
  /** false when the token does not exist. */
  deleteRegistrationToken(token: string): Promise<boolean>;
  /** Counts a pending use of a valid token, optionally held by a UIA session. */
  reserveRegistrationToken(token: string, now: number, session?: ReservingSession): Promise<ReserveOutcome>;
  /** Turns a pending use into a completed one (detaching it from `sessionId`). */
  completeRegistrationToken(token: string, sessionId?: string): Promise<void>;

  // ---- UIA sessions
  /** Creates a session (and deletes those created at or before `purgeBefore`, releasing their token uses). */
  createUiaSession(session: UiaSession, purgeBefore: number): Promise<void>;
  /** The session if created after `notBefore`. */
  getUiaSession(sessionId: string, notBefore: number): Promise<StoredUiaSession | undefined>;
  /** Writes stages and params if still at `expectedVersion`; false when changed meanwhile or gone. */
  updateUiaSession(sessionId: string, changes: UiaSessionChanges, expectedVersion: number): Promise<boolean>;
  /** Deletes the session, releasing a token use it still held. */
  deleteUiaSession(sessionId: string): Promise<void>;

  // ---- server-side key backups
  /** Backup versions and the session keys stored in them (`key-backup-storage.ts`). */
  readonly keyBackup: KeyBackupStorage;

  // ---- E2EE keys
  /**
   * Device, one-time, fallback and cross-signing keys, signatures and the key change log
   * (`e2e-key-storage.ts`). Deleting devices above also deletes their keys and announces them.
   */
  readonly e2eKeys: E2eKeyStorage;

  // ---- push notifications
  /** Notifications of local users and their unread counts (`notification-storage.ts`). */
  readonly notifications: NotificationStorage;

  // ---- pushers
  /** Pushers (`pusher-storage.ts`). Deleting devices above also deletes the pushers they set; deactivation, all. */
  readonly pushers: PusherStorage;
}

export interface UserStorageOptions {
  /** The userapi's outbox; required only for account-data and presence writes. */
  readonly outbox?: Outbox;
  /**
   * This server's name. E2EE keys are keyed by full user ID: without it, deleting devices leaves
   * their keys alone (only for tools and tests that never store keys).
   */
  readonly serverName?: string;
}

/** Migrates the userapi's tables in `database` and returns its storage. */
export async function openUserStorage(database: Database, opts: UserStorageOptions = {}): Promise<UserStorage> {
  await runMigrations(database, 'userapi', USERAPI_MIGRATIONS);
  return createUserStorage(database, opts);
}

/** The storage over an already-migrated database. */
export function createUserStorage(database: Database, opts: UserStorageOptions = {}): UserStorage {
  const db = typedDb<UserapiTables>(database);
  const dropDeviceKeys = deviceKeysDropper(opts.serverName, opts.outbox);
  return {
    async createAccount(account, displayName) {
      return db.transaction().execute(async (trx) => {
        if (!(await accounts.insertAccount(trx, account))) return false;
        await profiles.insertProfile(trx, account.localpart, displayName);
        await directory.upsertLocalUser(trx, account.localpart, displayName);
        return true;
      });
    },
    getAccount: (localpart) => accounts.selectAccount(db, localpart),
    setAccountModeration: (localpart, flag, value) => accounts.updateModeration(db, localpart, flag, value),
    setAccountAdmin: (localpart, admin) => accounts.updateAdmin(db, localpart, admin),
    listAccounts: (query) => accounts.selectAccountPage(db, query),
    async setPasswordHash(localpart, hash, logout) {
      return db.transaction().execute(async (trx) => {
        if (!(await accounts.updatePasswordHash(trx, localpart, hash))) return undefined;
        if (!logout) return [];
        const ids = await devices.selectDeviceIds(trx, localpart, undefined, logout.exceptDeviceId);
        await devices.deleteDevicesAndTokens(trx, localpart, ids);
        await pushers.deleteDevicePushers(trx, localpart, ids);
        await dropDeviceKeys(trx, localpart, ids);
        return ids;
      });
    },
    async deactivateAccount(localpart, erase) {
      return db.transaction().execute(async (trx) => {
        if (!(await accounts.markDeactivated(trx, localpart))) return undefined;
        const ids = await devices.selectDeviceIds(trx, localpart, undefined, undefined);
        await devices.deleteDevicesAndTokens(trx, localpart, ids);
        await pushers.deleteUserPushers(trx, localpart);
        await dropDeviceKeys(trx, localpart, ids);
        await loginTokens.deleteUserLoginTokens(trx, localpart);
        await accountData.deleteUserAccountData(trx, localpart);
        if (erase) await profiles.deleteProfile(trx, localpart);
        if (erase) await directory.deleteLocalUser(trx, localpart);
        await deleteUserKeyBackups(trx, localpart);
        return ids;
      });
    },

    async reactivateAccount(localpart) {
      return db.transaction().execute(async (trx) => {
        if (!(await accounts.markReactivated(trx, localpart))) return false;
        await profiles.insertProfile(trx, localpart, null);
        const profile = await profiles.selectProfile(trx, localpart);
        await directory.upsertLocalUser(trx, localpart, profile?.displayname ?? null);
        return true;
      });
    },

    openSession: (session) => openSession(db, session),
    findAccessToken: (hash) => findAccessToken(db, hash),
    rotateRefreshToken: (oldHash, next) => rotateRefreshToken(db, oldHash, next),
    async deleteDevices(localpart, deviceIds, exceptDeviceId) {
      return db.transaction().execute(async (trx) => {
        const ids = await devices.selectDeviceIds(trx, localpart, deviceIds, exceptDeviceId);
        await devices.deleteDevicesAndTokens(trx, localpart, ids);
        await pushers.deleteDevicePushers(trx, localpart, ids);
        await dropDeviceKeys(trx, localpart, ids);
        return ids;
      });
    },
    setDeviceDisplayName: (localpart, deviceId, name) => devices.updateDisplayName(db, localpart, deviceId, name),
    recordLastSeen: (localpart, deviceId, seen) => devices.updateLastSeen(db, localpart, deviceId, seen),
    getDevices: (localpart, deviceIds) => devices.selectDevices(db, localpart, deviceIds),

    async addLoginToken(hash, localpart, createdTs, expiresTs) {
      await loginTokens.deleteExpiredLoginTokens(db, createdTs);
      await loginTokens.insertLoginToken(db, hash, localpart, createdTs, expiresTs);
    },
    takeLoginToken: (hash, now) => loginTokens.takeLoginToken(db, hash, now),
    async addOpenIdToken(hash, localpart, expiresTs, now) {
      await openIdTokens.deleteExpiredOpenIdTokens(db, now);
      await openIdTokens.insertOpenIdToken(db, hash, localpart, expiresTs);
    },
    getOpenIdToken: (hash, now) => openIdTokens.selectOpenIdToken(db, hash, now),
    async addNonce(hash, expiresTs, now) {
      await nonces.deleteExpiredNonces(db, now);
      await nonces.insertNonce(db, hash, expiresTs);
    },
    takeNonce: (hash, now) => nonces.takeNonce(db, hash, now),

    getProfile: (localpart) => profiles.selectProfile(db, localpart),
    async replaceProfile(localpart, content, version) {
      return db.transaction().execute(async (trx) => {
        if (!(await profiles.replaceProfile(trx, localpart, content, version))) return false;
        await directory.upsertLocalUser(trx, localpart, content.displayname);
        return true;
      });
    },

    async putAccountData(write) {
      if (!opts.outbox) throw new Error('userapi storage was opened without the bus outbox; account data cannot be written');
      return writeAccountData(db, opts.outbox, write);
    },
    getAccountData: (localpart, filter) => accountData.selectAccountData(db, localpart, filter),
    getAccountDataPosition: (localpart) => accountData.latestStreamPosition(db, localpart),

    async putPresence(write) {
      if (!opts.outbox) throw new Error('userapi storage was opened without the bus outbox; presence cannot be written');
      return presence.writePresence(db, opts.outbox, write);
    },
    getPresence: (localparts) => presence.selectPresence(db, localparts),
    getPresencePosition: () => presence.latestPresencePosition(db),

    putFilter: (localpart, json) => filters.insertFilter(db, localpart, json),
    getFilter: (localpart, filterId) => filters.selectFilter(db, localpart, filterId),

    getDirectoryRoomPosition: (roomId) => directory.selectRoomPosition(db, roomId),
    applyDirectoryRoomChange: (change) => directory.applyRoomChange(db, change),
    replaceDirectoryRoom: (snapshot) => directory.replaceRoom(db, snapshot),
    searchUserDirectory: (search) => searchUserDirectory(db, search),

    createRegistrationToken: (token) => regTokens.insertRegistrationToken(db, token),
    getRegistrationToken: (token) => regTokens.selectRegistrationToken(db, token),
    listRegistrationTokens: (valid, now) => regTokens.selectRegistrationTokens(db, valid, now),
    updateRegistrationToken: (token, changes) => regTokens.updateRegistrationToken(db, token, changes),
    deleteRegistrationToken: (token) => regTokens.deleteRegistrationToken(db, token),
    reserveRegistrationToken: (token, now, session) => reserveTokenUse(db, token, now, session),
    completeRegistrationToken: (token, sessionId) => completeTokenUse(db, token, sessionId),

    async createUiaSession(session, purgeBefore) {
      await deleteSessionsReleasingUses(db, { createdBefore: purgeBefore });
      await uia.insertUiaSession(db, session);
    },
    getUiaSession: (id, notBefore) => uia.selectUiaSession(db, id, notBefore),
    updateUiaSession: (id, changes, version) => uia.updateUiaSession(db, id, changes, version),
    deleteUiaSession: (id) => deleteSessionsReleasingUses(db, { sessionId: id }),

    keyBackup: createKeyBackupStorage(database),
    e2eKeys: createE2eKeyStorage(database, opts.outbox),
    pushers: createPusherStorage(db),
    notifications: createNotificationStorage(database, opts),
  };
}
