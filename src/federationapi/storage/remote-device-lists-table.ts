/**
 * `federationapi_remote_device_lists`: the device list of each remote user we track (one who
 * shares a room with us and whose server sent us an update), at the `stream_id` of the last
 * update applied, so the next `m.device_list_update` can be checked against it (`prev_id`). Each
 * write queues its `OutputRemoteKeyChangeEvent` in the federationapi's outbox in the same
 * transaction, so a stored change is always announced.
 */
import type { Database } from '../../internal/sqlutil/database.js';
import { typedDb } from '../../internal/sqlutil/database.js';
import type { Outbox } from '../../internal/bus/bus.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { remoteKeyChangeMessage, type RemoteKeyChanged } from '../producers/output-remote-key-change.js';

/** The table as Kysely sees it (DDL in `remote-device-lists-migration.ts`). */
export interface RemoteDeviceListsTable {
  user_id: string;
  stream_id: number;
  /** `{deviceId: {keys, display_name}}`. */
  devices_json: string;
  master_key: string | null;
  self_signing_key: string | null;
  /** When the list was last confirmed by an update or a resync (ms). */
  updated_at: number;
}

interface Tables {
  federationapi_remote_device_lists: RemoteDeviceListsTable;
}

/** One remote device. */
export interface RemoteDevice {
  /** Its signed `DeviceKeys`, null when it has none (yet). */
  readonly keys: JsonObject | null;
  readonly displayName: string | null;
}

/** A tracked remote user's device list. */
export interface RemoteDeviceList {
  readonly userId: string;
  /** The `stream_id` of the last update applied (or of the resync). */
  readonly streamId: number;
  readonly devices: Readonly<Record<string, RemoteDevice>>;
  readonly masterKey: JsonObject | null;
  readonly selfSigningKey: JsonObject | null;
  readonly updatedAt: number;
}

/** Reads and writes of the cache. */
export interface RemoteDeviceListStorage {
  getRemoteDeviceLists(userIds: readonly string[]): Promise<Map<string, RemoteDeviceList>>;
  /** Stores `list` (replacing what was there) and announces `change`, in one transaction. */
  putRemoteDeviceList(list: RemoteDeviceList, change: RemoteKeyChanged): Promise<void>;
  /** Forgets the user's list (it can no longer be trusted) and announces `change`. */
  dropRemoteDeviceList(userId: string, change: RemoteKeyChanged): Promise<void>;
}

/** The storage over the federationapi's (migrated) database. */
export function createRemoteDeviceListStorage(database: Database, outbox: Outbox): RemoteDeviceListStorage {
  const db = typedDb<Tables>(database);
  return {
    async getRemoteDeviceLists(userIds) {
      const out = new Map<string, RemoteDeviceList>();
      if (userIds.length === 0) return out;
      const rows = await db.selectFrom('federationapi_remote_device_lists').selectAll().where('user_id', 'in', [...userIds]).execute();
      for (const r of rows) out.set(r.user_id, fromRow(r));
      return out;
    },
    async putRemoteDeviceList(list, change) {
      const row = toRow(list);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('federationapi_remote_device_lists')
          .values(row)
          .onConflict((oc) => oc.column('user_id').doUpdateSet({ stream_id: row.stream_id, devices_json: row.devices_json, master_key: row.master_key, self_signing_key: row.self_signing_key, updated_at: row.updated_at }))
          .execute();
        await outbox.add(trx, [remoteKeyChangeMessage(change)]);
      });
      await outbox.flush();
    },
    async dropRemoteDeviceList(userId, change) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('federationapi_remote_device_lists').where('user_id', '=', userId).execute();
        await outbox.add(trx, [remoteKeyChangeMessage(change)]);
      });
      await outbox.flush();
    },
  };
}

function toRow(list: RemoteDeviceList): RemoteDeviceListsTable {
  const devices: Record<string, JsonObject> = {};
  for (const [id, d] of Object.entries(list.devices)) devices[id] = { keys: d.keys, display_name: d.displayName };
  return {
    user_id: list.userId,
    stream_id: list.streamId,
    devices_json: JSON.stringify(devices),
    master_key: list.masterKey ? JSON.stringify(list.masterKey) : null,
    self_signing_key: list.selfSigningKey ? JSON.stringify(list.selfSigningKey) : null,
    updated_at: list.updatedAt,
  };
}

function fromRow(r: RemoteDeviceListsTable): RemoteDeviceList {
  const parsed: unknown = JSON.parse(r.devices_json);
  const devices: Record<string, RemoteDevice> = {};
  if (isJsonObject(parsed)) {
    for (const [id, d] of Object.entries(parsed)) {
      if (!isJsonObject(d)) continue;
      devices[id] = { keys: isJsonObject(d.keys) ? d.keys : null, displayName: typeof d.display_name === 'string' ? d.display_name : null };
    }
  }
  const json = (text: string | null): JsonObject | null => {
    if (text === null) return null;
    const v: unknown = JSON.parse(text);
    return isJsonObject(v) ? v : null;
  };
  return { userId: r.user_id, streamId: Number(r.stream_id), devices, masterKey: json(r.master_key), selfSigningKey: json(r.self_signing_key), updatedAt: Number(r.updated_at) };
}
