/**
 * Queries on `syncapi_sent_members`: the member events lazy-loading `/sync` responses sent each
 * device, per room and member. A lost or stale row costs only a redundant member event later, so
 * writes are plain upserts with no ordering between concurrent syncs of one device.
 */
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../internal/sqlutil/prepared-query.js';
import { chunkSize, inChunks, type SyncDb } from './sync-db.js';
import type { SyncapiTables } from './syncapi-tables.js';

/** One member event a device was sent. */
export interface SentMember {
  readonly roomId: string;
  /** The member's user ID. */
  readonly memberId: string;
  readonly eventId: string;
}

// Run by most incremental lazy-loading syncs (one room with new events).
const oneRoomQuery = preparedQuery((db: Kysely<SyncapiTables>, p: { userId: string; deviceId: string; roomId: string }) =>
  db.selectFrom('syncapi_sent_members').select(['room_id', 'member_id', 'event_id']).where('user_id', '=', p.userId).where('device_id', '=', p.deviceId).where('room_id', '=', p.roomId),
);

/** Per room of `roomIds` (those with rows): member user ID → member event ID, as sent to the device. */
export async function selectSentMembers(t: SyncDb, userId: string, deviceId: string, roomIds: readonly string[]): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  const unique = [...new Set(roomIds)];
  for (const chunk of inChunks(unique, chunkSize(t.caps, 1))) {
    const rows =
      chunk.length === 1
        ? await oneRoomQuery.all(t, { userId, deviceId, roomId: chunk[0]! })
        : await t.db
            .selectFrom('syncapi_sent_members')
            .select(['room_id', 'member_id', 'event_id'])
            .where('user_id', '=', userId)
            .where('device_id', '=', deviceId)
            .where('room_id', 'in', chunk)
            .execute();
    for (const r of rows) {
      let room = out.get(r.room_id);
      if (!room) out.set(r.room_id, (room = new Map()));
      room.set(r.member_id, r.event_id);
    }
  }
  return out;
}

/** Records `members` as sent to the device, replacing what was recorded for the same (room, member). */
export async function upsertSentMembers(t: SyncDb, userId: string, deviceId: string, members: readonly SentMember[]): Promise<void> {
  // One row per key and statement: PostgreSQL refuses an upsert touching a row twice.
  const unique = [...new Map(members.map((m) => [`${m.roomId}\u0000${m.memberId}`, m])).values()];
  for (const chunk of inChunks(unique, chunkSize(t.caps, 5))) {
    await t.db
      .insertInto('syncapi_sent_members')
      .values(chunk.map((m) => ({ user_id: userId, device_id: deviceId, room_id: m.roomId, member_id: m.memberId, event_id: m.eventId })))
      .onConflict((oc) => oc.columns(['user_id', 'device_id', 'room_id', 'member_id']).doUpdateSet((eb) => ({ event_id: eb.ref('excluded.event_id') })))
      .execute();
  }
}

/** Forgets everything recorded for the device. */
export async function deleteSentMembers(t: SyncDb, userId: string, deviceId: string): Promise<void> {
  await t.db.deleteFrom('syncapi_sent_members').where('user_id', '=', userId).where('device_id', '=', deviceId).execute();
}
