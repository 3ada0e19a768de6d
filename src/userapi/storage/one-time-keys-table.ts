/**
 * Queries on `userapi_one_time_keys` and `userapi_fallback_keys`. One-time keys are claimed
 * oldest first (spec v1.13: in upload order), which the auto-increment `id` records; a claim
 * deletes the key. A fallback key is handed out when a device has no one-time key left, and is
 * then marked used but kept.
 */
import type { Kysely } from 'kysely';
import type { JsonValue } from '../../matrix/json.js';
import { preparedQuery, type QueryTarget } from '../../internal/sqlutil/prepared-query.js';
import type { UserapiTables } from './userapi-tables.js';

/** A key as claimed: `<algorithm>:<key id>` and the key object. */
export interface ClaimedKey {
  readonly keyId: string;
  readonly key: JsonValue;
}

/** Keys uploaded for one device, by `<algorithm>:<key id>`. */
export type KeysById = Readonly<Record<string, JsonValue>>;

/** The stored JSON text of those of `keyIds` the device already has. */
export async function selectOneTimeKeyTexts(db: Kysely<UserapiTables>, userId: string, deviceId: string, keyIds: readonly string[]): Promise<Map<string, string>> {
  if (keyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('userapi_one_time_keys')
    .select(['key_id', 'key_json'])
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .where('key_id', 'in', keyIds)
    .execute();
  return new Map(rows.map((r) => [r.key_id, r.key_json]));
}

/** Adds one-time keys (ones already there are left as they are). */
export async function insertOneTimeKeys(db: Kysely<UserapiTables>, userId: string, deviceId: string, keys: KeysById): Promise<void> {
  for (const [keyId, key] of Object.entries(keys)) {
    await db
      .insertInto('userapi_one_time_keys')
      .values({ user_id: userId, device_id: deviceId, key_id: keyId, algorithm: algorithmOf(keyId), key_json: JSON.stringify(key) })
      .onConflict((oc) => oc.columns(['user_id', 'device_id', 'key_id']).doNothing())
      .execute();
  }
}

type DeviceParams = { userId: string; deviceId: string };

// Both run for every `/sync` answer: prepared once rather than built per call.
const countQuery = preparedQuery((db: Kysely<UserapiTables>, p: DeviceParams) =>
  db
    .selectFrom('userapi_one_time_keys')
    .select((eb) => ['algorithm', eb.fn.countAll<number | string>().as('n')])
    .where('user_id', '=', p.userId)
    .where('device_id', '=', p.deviceId)
    .groupBy('algorithm'),
);
const unusedFallbackQuery = preparedQuery((db: Kysely<UserapiTables>, p: DeviceParams) =>
  db.selectFrom('userapi_fallback_keys').select('algorithm').where('user_id', '=', p.userId).where('device_id', '=', p.deviceId).where('used', '=', 0).orderBy('algorithm'),
);

/** Unclaimed one-time keys of the device, per algorithm. */
export async function countOneTimeKeys(t: QueryTarget, userId: string, deviceId: string): Promise<Record<string, number>> {
  const rows = await countQuery.all(t, { userId, deviceId });
  return Object.fromEntries(rows.map((r) => [r.algorithm, Number(r.n)]));
}

/**
 * Takes the device's oldest one-time key of `algorithm` (deleting it), or undefined when it has
 * none. On PostgreSQL a concurrent claim may delete the row first; then the next oldest is tried.
 */
export async function takeOldestOneTimeKey(db: Kysely<UserapiTables>, userId: string, deviceId: string, algorithm: string): Promise<ClaimedKey | undefined> {
  for (;;) {
    const oldest = await db
      .selectFrom('userapi_one_time_keys')
      .select(['id', 'key_id', 'key_json'])
      .where('user_id', '=', userId)
      .where('device_id', '=', deviceId)
      .where('algorithm', '=', algorithm)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!oldest) return undefined;
    const gone = await db.deleteFrom('userapi_one_time_keys').where('id', '=', oldest.id).executeTakeFirst();
    if (Number(gone.numDeletedRows) === 1) return { keyId: oldest.key_id, key: JSON.parse(oldest.key_json) as JsonValue };
  }
}

/**
 * Stores fallback keys, one per algorithm, replacing the previous one. A new key starts unused;
 * the same key uploaded again keeps its used flag (as Synapse does), so a client re-sending its
 * current key still learns it was used.
 */
export async function upsertFallbackKeys(db: Kysely<UserapiTables>, userId: string, deviceId: string, keys: KeysById): Promise<void> {
  for (const [keyId, key] of Object.entries(keys)) {
    const algorithm = algorithmOf(keyId);
    const text = JSON.stringify(key);
    const old = await db
      .selectFrom('userapi_fallback_keys')
      .select(['key_id', 'key_json'])
      .where('user_id', '=', userId)
      .where('device_id', '=', deviceId)
      .where('algorithm', '=', algorithm)
      .executeTakeFirst();
    if (old && old.key_id === keyId && old.key_json === text) continue;
    await db
      .insertInto('userapi_fallback_keys')
      .values({ user_id: userId, device_id: deviceId, algorithm, key_id: keyId, key_json: text, used: 0 })
      .onConflict((oc) =>
        oc.columns(['user_id', 'device_id', 'algorithm']).doUpdateSet((eb) => ({
          key_id: eb.ref('excluded.key_id'),
          key_json: eb.ref('excluded.key_json'),
          used: 0,
        })),
      )
      .execute();
  }
}

/** The device's fallback key of `algorithm`, marked used; undefined when it has none. */
export async function takeFallbackKey(db: Kysely<UserapiTables>, userId: string, deviceId: string, algorithm: string): Promise<ClaimedKey | undefined> {
  const row = await db
    .updateTable('userapi_fallback_keys')
    .set({ used: 1 })
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .where('algorithm', '=', algorithm)
    .returning(['key_id', 'key_json'])
    .executeTakeFirst();
  return row ? { keyId: row.key_id, key: JSON.parse(row.key_json) as JsonValue } : undefined;
}

/** The algorithms of the device's fallback keys not yet used, sorted. */
export async function selectUnusedFallbackAlgorithms(t: QueryTarget, userId: string, deviceId: string): Promise<string[]> {
  return (await unusedFallbackQuery.all(t, { userId, deviceId })).map((r) => r.algorithm);
}

/** The algorithm part of `<algorithm>:<key id>`. */
export function algorithmOf(keyId: string): string {
  const colon = keyId.indexOf(':');
  return colon < 0 ? keyId : keyId.slice(0, colon);
}
