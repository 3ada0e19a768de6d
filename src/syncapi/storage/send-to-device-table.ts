/**
 * Queries on `syncapi_send_to_device`: the send-to-device messages waiting for each local device,
 * in arrival order. A message stays until its device syncs with a token at or past it (the spec's
 * "infer that any send-to-device messages in that response have been delivered"), so a response
 * lost on its way is served again to the repeated request. `id` is the `to_device` position;
 * `(user_id, device_id, message_id)` is unique, so a repeated message is stored once while
 * pending.
 */
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import { chunkSize, inChunks, type SyncDb } from './sync-db.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** A message to store for one device. */
export interface ToDeviceWrite {
  readonly userId: string;
  readonly deviceId: string;
  readonly messageId: string;
  /** The event as served: `{sender, type, content}` as JSON text. */
  readonly json: string;
}

/** A stored message with its `to_device` position. */
export interface ToDeviceMessage {
  readonly position: number;
  readonly json: string;
}

type DeviceRange = { userId: string; deviceId: string; after: number; upTo: number; limit: number };

// Every incremental sync of a device with something new runs these two.
const pendingQuery = preparedQuery((db: Kysely<SyncapiTables>, p: DeviceRange) =>
  db
    .selectFrom('syncapi_send_to_device')
    .select(['id', 'json'])
    .where('user_id', '=', p.userId)
    .where('device_id', '=', p.deviceId)
    .where('id', '>', p.after)
    .where('id', '<=', p.upTo)
    .orderBy('id')
    .limit(p.limit),
);
const acknowledgeQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { userId: string; deviceId: string; upTo: number }) =>
  db.deleteFrom('syncapi_send_to_device').where('user_id', '=', p.userId).where('device_id', '=', p.deviceId).where('id', '<=', p.upTo),
);
const latestQuery = preparedQuery((db: Kysely<SyncapiTables>, _p: Record<string, never>) =>
  db.selectFrom('syncapi_send_to_device').select((eb) => eb.fn.max('id').as('max')),
);

/**
 * Stores `messages` (run inside a transaction), skipping those the device already holds under
 * the same message ID; the highest new position, or undefined when nothing was new.
 */
export async function insertToDeviceMessages(t: SyncDb, messages: readonly ToDeviceWrite[]): Promise<number | undefined> {
  let latest: number | undefined;
  for (const chunk of inChunks(messages, chunkSize(t.caps, 4))) {
    const rows = await t.db
      .insertInto('syncapi_send_to_device')
      .values(chunk.map((m) => ({ user_id: m.userId, device_id: m.deviceId, message_id: m.messageId, json: m.json })))
      .onConflict((oc) => oc.columns(['user_id', 'device_id', 'message_id']).doNothing())
      .returning('id')
      .execute();
    for (const r of rows) latest = Math.max(latest ?? 0, Number(r.id));
  }
  return latest;
}

/**
 * The highest position stored, 0 when the table is empty. After deletions this may be below
 * positions handed out earlier; that is harmless, since new messages still take higher ones.
 */
export async function selectLatestToDevicePosition(t: SyncDb): Promise<number> {
  const r = await latestQuery.first(t, {});
  return r?.max === null || r?.max === undefined ? 0 : Number(r.max);
}

/** The device's first `limit` messages positioned in `(after, upTo]`, in order. */
export async function selectToDeviceMessages(t: SyncDb, userId: string, deviceId: string, after: number, upTo: number, limit: number): Promise<ToDeviceMessage[]> {
  const rows = await pendingQuery.all(t, { userId, deviceId, after, upTo, limit });
  return rows.map((r) => ({ position: Number(r.id), json: r.json }));
}

/** Deletes the device's messages positioned at or before `upTo` (acknowledged); how many. */
export function deleteToDeviceMessagesUpTo(t: SyncDb, userId: string, deviceId: string, upTo: number): Promise<number> {
  return acknowledgeQuery.run(t, { userId, deviceId, upTo });
}

/** Deletes every message of the user's listed devices (they were deleted); how many. */
export async function deleteToDeviceMessagesOfDevices(t: SyncDb, userId: string, deviceIds: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const chunk of inChunks([...new Set(deviceIds)], chunkSize(t.caps, 1))) {
    const r = await t.db.deleteFrom('syncapi_send_to_device').where('user_id', '=', userId).where('device_id', 'in', chunk).executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  return deleted;
}
