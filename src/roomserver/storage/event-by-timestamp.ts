/**
 * `timestamp_to_event`'s lookup: the event of a room closest to a time in one direction, over
 * the `(room_nid, origin_server_ts)` index. Only events that are part of the room's timeline
 * count: not outliers (no place in the DAG), rejected or soft-failed ones.
 */
import { roomHead } from './rooms-table.js';
import type { StorageContext } from './storage-context.js';

/** An event found by time. */
export interface EventAtTime {
  readonly eventId: string;
  readonly originServerTs: number;
}

/**
 * The first event at or after `ts` (`f`), or the last at or before it (`b`); ties on the
 * timestamp go to the DAG order (depth), then to the order of arrival. Undefined when none.
 */
export async function selectEventByTimestamp(ctx: StorageContext, roomId: string, ts: number, dir: 'f' | 'b'): Promise<EventAtTime | undefined> {
  const room = await roomHead(ctx, roomId);
  if (!room) return undefined;
  const order = dir === 'f' ? 'asc' : 'desc';
  const row = await ctx.db
    .selectFrom('roomserver_events')
    .select(['event_id', 'origin_server_ts'])
    .where('room_nid', '=', room.roomNid)
    .where('origin_server_ts', dir === 'f' ? '>=' : '<=', ts)
    .where('outlier', '=', 0)
    .where('rejected', '=', 0)
    .where('soft_failed', '=', 0)
    .orderBy('origin_server_ts', order)
    .orderBy('depth', order)
    .orderBy('event_nid', order)
    .limit(1)
    .executeTakeFirst();
  return row && { eventId: row.event_id, originServerTs: row.origin_server_ts };
}
