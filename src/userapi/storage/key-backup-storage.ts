/**
 * The key-backup part of the userapi's storage (`UserStorage.keyBackup`): backup versions and
 * the session keys stored in them. Versions cross this interface as the decimal strings clients
 * see; anything that is not a canonical positive number ("007", "1e3", "abc") names no version.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../internal/sqlutil/database.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import * as keys from './key-backup-keys-table.js';
import type { BackupKeyRow, BackupKeyScope } from './key-backup-keys-table.js';
import type { UserapiTables } from './userapi-tables.js';
import * as versions from './key-backup-versions-table.js';
import type { VersionDeletion } from './key-backup-versions-table.js';

export type { BackupKeyRow, BackupKeyScope, VersionDeletion };

/** A live backup version with the state of its keys. */
export interface StoredBackupVersion {
  readonly version: string;
  readonly algorithm: string;
  /** The `auth_data` object as JSON text. */
  readonly authData: string;
  readonly etag: string;
  /** How many keys it holds. */
  readonly count: number;
}

/** The state of a version's keys after a change. */
export interface BackupKeysState {
  readonly etag: string;
  readonly count: number;
}

/**
 * What writing keys did: `written`, or nothing because the version is not the user's current
 * one (`wrong-version`, naming the current one) or the user has no live backup (`no-backup`).
 */
export type BackupKeysWrite =
  | ({ readonly kind: 'written' } & BackupKeysState)
  | { readonly kind: 'wrong-version'; readonly currentVersion: string }
  | { readonly kind: 'no-backup' };

export interface KeyBackupStorage {
  /** Creates a version numbered above every version the user ever had; its number. */
  createBackupVersion(localpart: string, algorithm: string, authData: string): Promise<string>;
  /** The live version `version`, or the current one when undefined; undefined when unknown or deleted. */
  getBackupVersion(localpart: string, version: string | undefined): Promise<StoredBackupVersion | undefined>;
  /** Replaces a live version's `auth_data`; false when the version is unknown or deleted. */
  updateBackupAuthData(localpart: string, version: string, authData: string): Promise<boolean>;
  /** Flags the version deleted and deletes its keys, in one transaction. */
  deleteBackupVersion(localpart: string, version: string): Promise<VersionDeletion>;
  /**
   * Stores keys into the current version, each replacing a stored key of its session only when
   * better (see `key-backup-keys-table.ts`); the etag moves when any key was stored. A session
   * must appear once in `rows`.
   */
  putBackupKeys(localpart: string, version: string, rows: readonly BackupKeyRow[]): Promise<BackupKeysWrite>;
  /** The keys of a live version in the scope, by room then session; undefined when the version is unknown or deleted. */
  getBackupKeys(localpart: string, version: string, scope: BackupKeyScope): Promise<BackupKeyRow[] | undefined>;
  /** Deletes a live version's keys in the scope (the etag moves when any were); undefined when the version is unknown or deleted. */
  deleteBackupKeys(localpart: string, version: string, scope: BackupKeyScope): Promise<BackupKeysState | undefined>;
}

/** The version number a client's string names, if it can name one. */
function versionNumber(version: string): number | undefined {
  return /^[1-9][0-9]{0,14}$/.test(version) ? Number(version) : undefined;
}

/** The key-backup storage over the userapi's (already migrated) database. */
export function createKeyBackupStorage(database: Database): KeyBackupStorage {
  const db = typedDb<UserapiTables>(database);
  // 8 bind parameters per key row.
  const chunkRows = Math.max(1, Math.min(500, Math.floor((database.caps.maxBindParams - 8) / 8)));
  return {
    async createBackupVersion(localpart, algorithm, authData) {
      return String(await versions.insertVersion(db, localpart, algorithm, authData));
    },

    async getBackupVersion(localpart, version) {
      const n = version === undefined ? undefined : versionNumber(version);
      if (version !== undefined && n === undefined) return undefined;
      const row = await versions.selectLiveVersion(db, localpart, n);
      if (!row) return undefined;
      const count = await keys.countKeys(db, localpart, row.version);
      return { version: String(row.version), algorithm: row.algorithm, authData: row.authData, etag: String(row.etag), count };
    },

    async updateBackupAuthData(localpart, version, authData) {
      const n = versionNumber(version);
      return n !== undefined && versions.updateAuthData(db, localpart, n, authData);
    },

    async deleteBackupVersion(localpart, version) {
      const n = versionNumber(version);
      if (n === undefined) return 'unknown';
      return db.transaction().execute(async (trx) => {
        const outcome = await versions.markVersionDeleted(trx, localpart, n);
        if (outcome === 'deleted') await keys.deleteKeys(trx, localpart, n, {});
        return outcome;
      });
    },

    async putBackupKeys(localpart, version, rows) {
      const n = versionNumber(version);
      return db.transaction().execute(async (trx): Promise<BackupKeysWrite> => {
        const locked = n !== undefined && (await versions.lockLiveVersion(trx, localpart, n));
        const current = await versions.selectCurrentVersion(trx, localpart);
        if (current === undefined) return { kind: 'no-backup' };
        if (!locked || current !== n) return { kind: 'wrong-version', currentVersion: String(current) };
        const changed = await keys.upsertKeys(trx, localpart, n, rows, chunkRows);
        const etag = changed > 0 ? await versions.bumpEtag(trx, localpart, n) : await currentEtag(trx, localpart, n);
        return { kind: 'written', etag: String(etag), count: await keys.countKeys(trx, localpart, n) };
      });
    },

    async getBackupKeys(localpart, version, scope) {
      const n = versionNumber(version);
      if (n === undefined || !(await versions.selectLiveVersion(db, localpart, n))) return undefined;
      return keys.selectKeys(db, localpart, n, scope);
    },

    async deleteBackupKeys(localpart, version, scope) {
      const n = versionNumber(version);
      if (n === undefined) return undefined;
      return db.transaction().execute(async (trx) => {
        if (!(await versions.lockLiveVersion(trx, localpart, n))) return undefined;
        const deleted = await keys.deleteKeys(trx, localpart, n, scope);
        const etag = deleted > 0 ? await versions.bumpEtag(trx, localpart, n) : await currentEtag(trx, localpart, n);
        return { etag: String(etag), count: await keys.countKeys(trx, localpart, n) };
      });
    },
  };
}

async function currentEtag(db: Kysely<UserapiTables>, localpart: string, version: number): Promise<number> {
  const row = await versions.selectLiveVersion(db, localpart, version);
  if (!row) throw new Error(`key backup version ${version} of ${localpart} vanished inside its own transaction`);
  return row.etag;
}

/**
 * Deletes every backup of the user, keys and versions, inside the caller's transaction (account
 * deactivation, as Synapse does: the keys are useless to anyone once the account is gone). The
 * version rows go too, so nothing of the user's backups is left.
 */
export async function deleteUserKeyBackups(db: Kysely<UserapiTables>, localpart: string): Promise<void> {
  await db.deleteFrom('userapi_key_backup_keys').where('localpart', '=', localpart).execute();
  await db.deleteFrom('userapi_key_backup_versions').where('localpart', '=', localpart).execute();
}
