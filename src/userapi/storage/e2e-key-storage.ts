/**
 * The E2EE key part of the userapi's storage (`UserStorage.e2eKeys`): device keys, one-time and
 * fallback keys, cross-signing keys, uploaded signatures and the key change log. Every write
 * that changes what other users see of someone's keys appends to the key change log and queues
 * its `OutputKeyChangeEvent` in the same transaction (`announceDeviceKeys`,
 * `announceCrossSigning`), so a committed change is never lost to the syncapi or federation.
 */
import type { Kysely, Transaction } from 'kysely';
import { typedDb, type Database } from '../../internal/sqlutil/database.js';
import type { QueryTarget } from '../../internal/sqlutil/prepared-query.js';
import type { StorageCapabilities } from '../../internal/sqlutil/storage-capabilities.js';
import type { Outbox } from '../../internal/bus/bus.js';
import { canonicalJson } from '../../matrix/canonical-json.js';
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import { keyChangeMessage } from '../producers/output-key-change.js';
import * as cross from './cross-signing-keys-table.js';
import type { CrossSigningKeyType, StoredCrossSigningKeys } from './cross-signing-keys-table.js';
import * as deviceKeys from './device-keys-table.js';
import * as changes from './key-changes-table.js';
import * as otks from './one-time-keys-table.js';
import type { ClaimedKey, KeysById } from './one-time-keys-table.js';
import * as sigs from './key-signatures-table.js';
import type { StoredKeySignature } from './key-signatures-table.js';
import type { UserapiTables } from './userapi-tables.js';

export type { ClaimedKey, CrossSigningKeyType, KeysById, StoredCrossSigningKeys, StoredKeySignature };

/** One `/keys/upload` of a device, already validated. */
export interface KeyUpload {
  readonly userId: string;
  readonly deviceId: string;
  /** The device's display name, for the change announcement. */
  readonly displayName: string | null;
  /** The signed `DeviceKeys` (without `unsigned`). */
  readonly deviceKeys?: JsonObject;
  readonly oneTimeKeys?: KeysById;
  readonly fallbackKeys?: KeysById;
}

/**
 * What an upload did: `stored` with the device's one-time key counts, or nothing because the
 * device already has other identity keys or a one-time key of the same ID with other content.
 */
export type KeyUploadOutcome =
  | { readonly kind: 'stored'; readonly oneTimeKeyCounts: Record<string, number> }
  | { readonly kind: 'device-keys-differ' }
  | { readonly kind: 'one-time-key-differs'; readonly keyId: string };

/** One key asked for by `/keys/claim`. */
export interface KeyClaim {
  readonly userId: string;
  readonly deviceId: string;
  readonly algorithm: string;
}

/** A change whose announcement goes with a signature upload. */
export type KeyAnnouncement =
  | { readonly kind: 'device'; readonly userId: string; readonly deviceId: string; readonly displayName: string | null }
  | { readonly kind: 'cross_signing'; readonly userId: string; readonly publicKeysChanged: boolean };

export interface E2eKeyStorage {
  /** Stores an upload in one transaction (checks first, so a refused upload writes nothing). */
  uploadKeys(upload: KeyUpload): Promise<KeyUploadOutcome>;
  /**
   * The device keys of `userId`'s devices (all, or `deviceIds`) by device ID, with the uploaded
   * signatures `viewer` may see merged in (null: only the user's own).
   */
  getDeviceKeys(userId: string, deviceIds: readonly string[] | undefined, viewer: string | null): Promise<Map<string, JsonObject>>;
  /** The cross-signing keys of those of `userIds` that have any; master keys with visible signatures merged. */
  getCrossSigningKeys(userIds: readonly string[], viewer: string | null): Promise<Map<string, StoredCrossSigningKeys>>;
  /** Claims one key per entry (the oldest one-time key, else the fallback key); undefined when none. */
  claimKeys(claims: readonly KeyClaim[]): Promise<Array<ClaimedKey | undefined>>;
  /** The device's one-time key counts per algorithm and the algorithms of its unused fallback keys. */
  countKeys(userId: string, deviceId: string): Promise<{ oneTimeKeyCounts: Record<string, number>; unusedFallbackKeyTypes: string[] }>;
  /**
   * Stores the given cross-signing keys (others stay). Signatures made by a replaced
   * self-signing or user-signing key are dropped. Announced when anything changed; true then.
   */
  putCrossSigningKeys(userId: string, keys: StoredCrossSigningKeys): Promise<boolean>;
  /** Stores signatures and announces the changes they make, in one transaction. */
  putSignatures(signatures: readonly StoredKeySignature[], announcements: readonly KeyAnnouncement[]): Promise<void>;
  /** Users with a key change in (`from`, `to`], sorted. */
  getKeyChanges(from: number, to: number): Promise<string[]>;
  /** The latest key change position, 0 when none. */
  getLatestKeyChangePosition(): Promise<number>;
  /** `userId`'s latest key change position (a device list's `stream_id`), 0 when none. */
  getUserLatestKeyChangePosition(userId: string): Promise<number>;
}

/** The key storage over the userapi's database; writes need `outbox`. */
export function createE2eKeyStorage(database: Database, outbox: Outbox | undefined): E2eKeyStorage {
  const db = typedDb<UserapiTables>(database);
  // Reads outside a transaction may run straight on the SQLite handle (prepared-query.ts).
  const reads: QueryTarget = { db, caps: database.caps, sqliteAutocommit: database.sqlite };
  const requireOutbox = (): Outbox => {
    if (!outbox) throw new Error('userapi storage was opened without the bus outbox; E2EE keys cannot be written');
    return outbox;
  };
  return {
    uploadKeys: (upload) => db.transaction().execute((trx) => uploadKeys(trx, database.caps, requireOutbox(), upload)),
    getDeviceKeys: (userId, deviceIds, viewer) => readDeviceKeys(db, userId, deviceIds, viewer),
    getCrossSigningKeys: (userIds, viewer) => readCrossSigningKeys(db, userIds, viewer),
    claimKeys: (claims) =>
      db.transaction().execute(async (trx) => {
        const out: Array<ClaimedKey | undefined> = [];
        for (const c of claims) {
          out.push(
            (await otks.takeOldestOneTimeKey(trx, c.userId, c.deviceId, c.algorithm)) ?? (await otks.takeFallbackKey(trx, c.userId, c.deviceId, c.algorithm)),
          );
        }
        return out;
      }),
    countKeys: async (userId, deviceId) => ({
      oneTimeKeyCounts: await otks.countOneTimeKeys(reads, userId, deviceId),
      unusedFallbackKeyTypes: await otks.selectUnusedFallbackAlgorithms(reads, userId, deviceId),
    }),
    putCrossSigningKeys: (userId, keys) => db.transaction().execute((trx) => putCrossSigningKeys(trx, requireOutbox(), userId, keys)),
    putSignatures: (signatures, announcements) =>
      db.transaction().execute(async (trx) => {
        const box = requireOutbox();
        await sigs.upsertKeySignatures(trx, signatures);
        for (const a of announcements) {
          if (a.kind === 'device') await announceDeviceKeys(trx, box, a.userId, a.deviceId, a.displayName);
          else await announceCrossSigning(trx, box, a.userId, a.publicKeysChanged);
        }
      }),
    getKeyChanges: (from, to) => changes.selectKeyChanges(db, from, to),
    getLatestKeyChangePosition: () => changes.latestKeyChangePosition(db),
    getUserLatestKeyChangePosition: (userId) => changes.userLatestKeyChangePosition(db, userId),
  };
}

/**
 * Deletes every key of the devices and what they signed, and announces each device as deleted.
 * Called inside the transaction that deletes the devices (logout, password change, deactivation).
 */
export async function deleteDeviceKeysAnnouncing(trx: Transaction<UserapiTables>, outbox: Outbox | undefined, userId: string, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  if (!outbox) throw new Error('userapi storage was opened without the bus outbox; device deletions cannot be announced');
  await deviceKeys.deleteAllDeviceKeys(trx, userId, deviceIds);
  await sigs.deleteSignaturesOn(trx, userId, deviceIds);
  await sigs.deleteSignaturesBy(trx, userId, deviceIds.map((d) => `ed25519:${d}`));
  for (const deviceId of deviceIds) await announceDeviceKeys(trx, outbox, userId, deviceId, null);
}

async function uploadKeys(trx: Transaction<UserapiTables>, caps: StorageCapabilities, outbox: Outbox, u: KeyUpload): Promise<KeyUploadOutcome> {
  let deviceKeysChanged = false;
  if (u.deviceKeys) {
    const old = (await deviceKeys.selectDeviceKeys(trx, u.userId, [u.deviceId])).get(u.deviceId);
    if (old && canonicalJson(old.keys ?? null) !== canonicalJson(u.deviceKeys.keys ?? null)) return { kind: 'device-keys-differ' };
    deviceKeysChanged = !old || canonicalJson(old) !== canonicalJson(u.deviceKeys);
  }
  const oneTimeKeys = u.oneTimeKeys ?? {};
  const existing = await otks.selectOneTimeKeyTexts(trx, u.userId, u.deviceId, Object.keys(oneTimeKeys));
  for (const [keyId, text] of existing) {
    if (!sameJson(text, oneTimeKeys[keyId])) return { kind: 'one-time-key-differs', keyId };
  }
  if (u.deviceKeys && deviceKeysChanged) {
    await deviceKeys.upsertDeviceKeys(trx, u.userId, u.deviceId, u.deviceKeys);
    await announceDeviceKeys(trx, outbox, u.userId, u.deviceId, u.displayName);
  }
  await otks.insertOneTimeKeys(trx, u.userId, u.deviceId, oneTimeKeys);
  if (u.fallbackKeys) await otks.upsertFallbackKeys(trx, u.userId, u.deviceId, u.fallbackKeys);
  return { kind: 'stored', oneTimeKeyCounts: await otks.countOneTimeKeys({ db: trx, caps }, u.userId, u.deviceId) };
}

async function putCrossSigningKeys(trx: Transaction<UserapiTables>, outbox: Outbox, userId: string, keys: StoredCrossSigningKeys): Promise<boolean> {
  const old = (await cross.selectCrossSigningKeys(trx, [userId])).get(userId) ?? {};
  const changed: CrossSigningKeyType[] = [];
  for (const type of ['master', 'self_signing', 'user_signing'] as const) {
    const key = keys[type];
    const before = old[type];
    if (!key || (before && canonicalJson(before) === canonicalJson(key))) continue;
    changed.push(type);
    await cross.upsertCrossSigningKey(trx, userId, type, key);
    const oldPublic = cross.crossSigningPublicKey(before);
    if (oldPublic === undefined || oldPublic === cross.crossSigningPublicKey(key)) continue;
    // What the replaced key signed (or what signed it) no longer vouches for anything current.
    if (type === 'master') await sigs.deleteSignaturesOn(trx, userId, [oldPublic]);
    else await sigs.deleteSignaturesBy(trx, userId, [`ed25519:${oldPublic}`]);
  }
  if (changed.length === 0) return false;
  await announceCrossSigning(trx, outbox, userId, changed.includes('master') || changed.includes('self_signing'));
  return true;
}

/** Logs a change of the device's keys and queues its message, from what is stored now. */
async function announceDeviceKeys(trx: Transaction<UserapiTables>, outbox: Outbox, userId: string, deviceId: string, displayName: string | null): Promise<void> {
  const keys = (await readDeviceKeys(trx, userId, [deviceId], null)).get(deviceId) ?? null;
  const position = await changes.recordKeyChange(trx, userId);
  await outbox.add(trx, [
    keyChangeMessage({
      type: 'device_keys',
      userId,
      deviceId,
      ...position,
      deleted: keys === null,
      deviceKeys: keys,
      displayName: keys === null ? null : displayName,
    }),
  ]);
}

/** Logs a change of the user's cross-signing keys and queues its message. */
async function announceCrossSigning(trx: Transaction<UserapiTables>, outbox: Outbox, userId: string, publicKeysChanged: boolean): Promise<void> {
  const keys = (await readCrossSigningKeys(trx, [userId], null)).get(userId) ?? {};
  const position = await changes.recordKeyChange(trx, userId);
  await outbox.add(trx, [
    keyChangeMessage({
      type: 'cross_signing',
      userId,
      ...position,
      masterKey: keys.master ?? null,
      selfSigningKey: keys.self_signing ?? null,
      publicKeysChanged,
    }),
  ]);
}

async function readDeviceKeys(db: Kysely<UserapiTables>, userId: string, deviceIds: readonly string[] | undefined, viewer: string | null): Promise<Map<string, JsonObject>> {
  const keys = await deviceKeys.selectDeviceKeys(db, userId, deviceIds);
  const stored = await sigs.selectKeySignatures(db, userId, [...keys.keys()]);
  if (stored.length === 0) return keys;
  const out = new Map<string, JsonObject>();
  for (const [deviceId, key] of keys) {
    out.set(deviceId, sigs.withStoredSignatures(key, stored.filter((s) => s.targetKeyId === deviceId), userId, viewer));
  }
  return out;
}

async function readCrossSigningKeys(db: Kysely<UserapiTables>, userIds: readonly string[], viewer: string | null): Promise<Map<string, StoredCrossSigningKeys>> {
  const all = await cross.selectCrossSigningKeys(db, userIds);
  for (const [userId, keys] of all) {
    const master = keys.master;
    const pub = cross.crossSigningPublicKey(master);
    if (!master || pub === undefined) continue;
    const stored = await sigs.selectKeySignatures(db, userId, [pub]);
    all.set(userId, { ...keys, master: sigs.withStoredSignatures(master, stored, userId, viewer) });
  }
  return all;
}

function sameJson(storedText: string, value: JsonValue | undefined): boolean {
  if (value === undefined) return false;
  return canonicalJson(JSON.parse(storedText) as JsonValue) === canonicalJson(value);
}

/** Deletes (and announces) the keys of a local user's deleted devices, inside the deleting transaction. */
export type DeviceKeysDropper = (trx: Transaction<UserapiTables>, localpart: string, deviceIds: readonly string[]) => Promise<void>;

/**
 * The {@link DeviceKeysDropper} of a storage: without `serverName` (tools and tests that never
 * store keys) it does nothing, since the key tables are keyed by full user ID.
 */
export function deviceKeysDropper(serverName: string | undefined, outbox: Outbox | undefined): DeviceKeysDropper {
  if (serverName === undefined) return async () => {};
  return (trx, localpart, deviceIds) => deleteDeviceKeysAnnouncing(trx, outbox, `@${localpart}:${serverName}`, deviceIds);
}
