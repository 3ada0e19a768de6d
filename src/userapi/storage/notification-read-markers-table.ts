/**
 * `userapi_notification_read_markers`: how far each local user has read each room, as a room
 * stream position, from their read receipts. Receipts and notifications travel on different
 * topics, so a receipt may be handled before the notification of the very event it names (the
 * push consumer lagging); the marker lets that late notification be stored as already read
 * instead of staying unread for ever.
 */
import type { Kysely } from 'kysely';
import { inChunks } from '../../internal/sqlutil/in-chunks.js';
import { NOTIFICATION_CHUNK, type NotificationTables } from './notifications-table.js';

export interface NotificationReadMarkersTable {
  localpart: string;
  room_id: string;
  room_pos: number;
}

/** Moves the user's marker in the room up to `roomPos` (never down). */
export async function raiseReadMarker(db: Kysely<NotificationTables>, localpart: string, roomId: string, roomPos: number): Promise<void> {
  await db
    .insertInto('userapi_notification_read_markers')
    .values({ localpart, room_id: roomId, room_pos: roomPos })
    .onConflict((oc) =>
      oc.columns(['localpart', 'room_id']).doUpdateSet({ room_pos: roomPos }).where('userapi_notification_read_markers.room_pos', '<', roomPos),
    )
    .execute();
}

/** The markers in `roomId` of those of `localparts` that have one. */
export async function selectReadMarkers(db: Kysely<NotificationTables>, roomId: string, localparts: readonly string[]): Promise<Map<string, number>> {
  const markers = new Map<string, number>();
  for (const part of inChunks(localparts, NOTIFICATION_CHUNK)) {
    const rows = await db
      .selectFrom('userapi_notification_read_markers')
      .select(['localpart', 'room_pos'])
      .where('room_id', '=', roomId)
      .where('localpart', 'in', part)
      .execute();
    for (const r of rows) markers.set(r.localpart, Number(r.room_pos));
  }
  return markers;
}
