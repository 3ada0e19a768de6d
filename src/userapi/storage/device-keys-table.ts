/** Queries on `userapi_device_keys`: each device's signed identity keys, as uploaded. */
import type { Kysely } from 'kysely';
import type { JsonObject } from '../../matrix/json.js';
import type { UserapiTables } from './userapi-tables.js';

/** The stored keys of `userId`'s devices (all, or only `deviceIds`), by device ID. */
export async function selectDeviceKeys(db: Kysely<UserapiTables>, userId: string, deviceIds?: readonly string[]): Promise<Map<string, JsonObject>> {
  if (deviceIds && deviceIds.length === 0) return new Map();
  let q = db.selectFrom('userapi_device_keys').select(['device_id', 'key_json']).where('user_id', '=', userId);
  if (deviceIds) q = q.where('device_id', 'in', [...new Set(deviceIds)]);
  const rows = await q.orderBy('device_id').execute();
  return new Map(rows.map((r) => [r.device_id, JSON.parse(r.key_json) as JsonObject]));
}

/** Stores (or replaces) a device's keys. */
export async function upsertDeviceKeys(db: Kysely<UserapiTables>, userId: string, deviceId: string, keys: JsonObject): Promise<void> {
  await db
    .insertInto('userapi_device_keys')
    .values({ user_id: userId, device_id: deviceId, key_json: JSON.stringify(keys) })
    .onConflict((oc) => oc.columns(['user_id', 'device_id']).doUpdateSet((eb) => ({ key_json: eb.ref('excluded.key_json') })))
    .execute();
}

/** Deletes every key of the devices: identity keys, one-time keys and fallback keys. */
export async function deleteAllDeviceKeys(db: Kysely<UserapiTables>, userId: string, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await db.deleteFrom('userapi_device_keys').where('user_id', '=', userId).where('device_id', 'in', deviceIds).execute();
  await db.deleteFrom('userapi_one_time_keys').where('user_id', '=', userId).where('device_id', 'in', deviceIds).execute();
  await db.deleteFrom('userapi_fallback_keys').where('user_id', '=', userId).where('device_id', 'in', deviceIds).execute();
}
