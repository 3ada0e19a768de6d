/**
 * `userapi_notification_read_markers`: how far each local user has read each room, as a room
 * stream position, from their read receipts. Receipts and notifications travel on different
 * topics, so a receipt may be handled before the notification of the very event it names (the
 * push consumer lagging); the marker lets that late notification be stored as already read
 * instead of staying unread for ever.
 *
 * One marker per (user, room, thread) as receipts are threaded: a thread's (or the main
 * timeline's) marker reads only that thread, and the marker of unthreaded receipts,
 * {@link ALL_THREADS}, reads every thread.
 */
import type { Kysely } from 'kysely';
import { inChunks } from '../../internal/sqlutil/in-chunks.js';
import { NOTIFICATION_CHUNK, type NotificationTables, type ReadScope } from './notifications-table.js';

export interface NotificationReadMarkersTable {
  localpart: string;
  room_id: string;
  /** A thread root's event ID, `main`, or {@link ALL_THREADS}. */
  thread_id: string;
  room_pos: number;
}

/** The `thread_id` of unthreaded receipts' markers (no event ID or `main` can be it). */
export const ALL_THREADS = '*';

/** A user's markers in a room, by `thread_id`. */
export type UserReadMarkers = ReadonlyMap<string, number>;

/** Moves the user's marker of `scope` in the room up to `roomPos` (never down). */
export async function raiseReadMarker(db: Kysely<NotificationTables>, localpart: string, roomId: string, scope: ReadScope, roomPos: number): Promise<void> {
  await db
    .insertInto('userapi_notification_read_markers')
    .values({ localpart, room_id: roomId, thread_id: scope ?? ALL_THREADS, room_pos: roomPos })
    .onConflict((oc) =>
      oc
        .columns(['localpart', 'room_id', 'thread_id'])
        .doUpdateSet({ room_pos: roomPos })
        .where('userapi_notification_read_markers.room_pos', '<', roomPos),
    )
    .execute();
}

/**
 * The markers in `roomId` of those of `localparts` that have one, of `threadIds` and of
 * unthreaded receipts (a user's threads read may be many; only those asked for are read).
 */
export async function selectReadMarkers(
  db: Kysely<NotificationTables>,
  roomId: string,
  localparts: readonly string[],
  threadIds: readonly string[],
): Promise<Map<string, UserReadMarkers>> {
  const markers = new Map<string, Map<string, number>>();
  const threads = [...new Set([ALL_THREADS, ...threadIds])];
  for (const part of inChunks(localparts, NOTIFICATION_CHUNK)) {
    const rows = await db
      .selectFrom('userapi_notification_read_markers')
      .select(['localpart', 'thread_id', 'room_pos'])
      .where('room_id', '=', roomId)
      .where('localpart', 'in', part)
      .where('thread_id', 'in', threads)
      .execute();
    for (const r of rows) {
      let mine = markers.get(r.localpart);
      if (!mine) markers.set(r.localpart, (mine = new Map()));
      mine.set(r.thread_id, Number(r.room_pos));
    }
  }
  return markers;
}

/** Whether a user's markers have read a notification of `threadId` at `roomPos`. */
export function readByMarkers(markers: UserReadMarkers | undefined, threadId: string, roomPos: number): boolean {
  if (!markers) return false;
  return roomPos <= Math.max(markers.get(ALL_THREADS) ?? -1, markers.get(threadId) ?? -1);
}
