/** Queries on `userapi_devices`. */
import type { Kysely } from 'kysely';
import type { UserapiTables } from './userapi-tables.js';

/** A device as stored (the user is the localpart the caller asked about). */
export interface StoredDevice {
  readonly deviceId: string;
  readonly displayName: string | null;
  readonly lastSeenTs: number | null;
  readonly lastSeenIp: string | null;
  readonly lastSeenUserAgent: string | null;
}

export interface DeviceSighting {
  readonly ts: number;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/**
 * Creates the device, or keeps an existing one (its display name too, unless it has none) and
 * records the sighting.
 */
export async function upsertDevice(
  db: Kysely<UserapiTables>,
  localpart: string,
  deviceId: string,
  displayName: string | null,
  seen: DeviceSighting,
): Promise<void> {
  await db
    .insertInto('userapi_devices')
    .values({
      localpart,
      device_id: deviceId,
      display_name: displayName,
      created_ts: seen.ts,
      last_seen_ts: seen.ts,
      last_seen_ip: seen.ip,
      last_seen_user_agent: seen.userAgent,
    })
    .onConflict((oc) =>
      oc.columns(['localpart', 'device_id']).doUpdateSet((eb) => ({
        display_name: eb.fn.coalesce('userapi_devices.display_name', eb.ref('excluded.display_name')),
        last_seen_ts: eb.ref('excluded.last_seen_ts'),
        last_seen_ip: eb.fn.coalesce(eb.ref('excluded.last_seen_ip'), 'userapi_devices.last_seen_ip'),
        last_seen_user_agent: eb.fn.coalesce(eb.ref('excluded.last_seen_user_agent'), 'userapi_devices.last_seen_user_agent'),
      })),
    )
    .execute();
}

export async function selectDevices(
  db: Kysely<UserapiTables>,
  localpart: string,
  deviceIds?: readonly string[],
): Promise<StoredDevice[]> {
  if (deviceIds?.length === 0) return [];
  let q = db.selectFrom('userapi_devices').selectAll().where('localpart', '=', localpart);
  if (deviceIds) q = q.where('device_id', 'in', deviceIds);
  const rows = await q.orderBy('device_id').execute();
  return rows.map((r) => ({
    deviceId: r.device_id,
    displayName: r.display_name,
    lastSeenTs: r.last_seen_ts,
    lastSeenIp: r.last_seen_ip,
    lastSeenUserAgent: r.last_seen_user_agent,
  }));
}

/** The IDs of the devices that exist among `deviceIds` (all of the user's when absent), minus `except`. */
export async function selectDeviceIds(
  db: Kysely<UserapiTables>,
  localpart: string,
  deviceIds: readonly string[] | undefined,
  except: string | undefined,
): Promise<string[]> {
  if (deviceIds?.length === 0) return [];
  let q = db.selectFrom('userapi_devices').select('device_id').where('localpart', '=', localpart);
  if (deviceIds) q = q.where('device_id', 'in', deviceIds);
  if (except !== undefined) q = q.where('device_id', '!=', except);
  const rows = await q.orderBy('device_id').execute();
  return rows.map((r) => r.device_id);
}

/** Deletes the devices and every token bound to them. */
export async function deleteDevicesAndTokens(db: Kysely<UserapiTables>, localpart: string, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  for (const table of ['userapi_access_tokens', 'userapi_refresh_tokens', 'userapi_devices'] as const) {
    await db.deleteFrom(table).where('localpart', '=', localpart).where('device_id', 'in', deviceIds).execute();
  }
}

/** Sets the display name; false when the device does not exist. */
export async function updateDisplayName(
  db: Kysely<UserapiTables>,
  localpart: string,
  deviceId: string,
  displayName: string | null,
): Promise<boolean> {
  const res = await db
    .updateTable('userapi_devices')
    .set({ display_name: displayName })
    .where('localpart', '=', localpart)
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function updateLastSeen(db: Kysely<UserapiTables>, localpart: string, deviceId: string, seen: DeviceSighting): Promise<void> {
  await db
    .updateTable('userapi_devices')
    .set({ last_seen_ts: seen.ts, last_seen_ip: seen.ip, last_seen_user_agent: seen.userAgent })
    .where('localpart', '=', localpart)
    .where('device_id', '=', deviceId)
    .execute();
}
