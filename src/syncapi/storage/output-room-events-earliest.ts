/**
 * The earliest events of several rooms' position ranges, for the legacy `GET /events` stream,
 * which hands a client everything after its token in stream order and continues where a page
 * stopped. `selectRecentEvents` reads the other end of the same ranges (a sync timeline's latest
 * events); this is its mirror: one index seek per room, `ROOMS_PER_UNION` rooms per statement.
 */
import { SYNC_EVENT_COLUMNS, toSyncEvent, type RoomRange, type SyncEvent } from './output-room-events-table.js';
import { inChunks, ROOMS_PER_UNION, type SyncDb } from './sync-db.js';

/**
 * The first `limit` events of each range, all ranges together in stream order. Among them, the
 * first `limit` overall are exactly the first `limit` events of the union of the ranges (each is
 * among the first `limit` of its own range), which is what lets a caller page on by position.
 */
export async function selectEarliestEvents(t: SyncDb, ranges: readonly RoomRange[], limit: number): Promise<SyncEvent[]> {
  const out: SyncEvent[] = [];
  for (const chunk of inChunks(ranges, ROOMS_PER_UNION)) {
    const parts = chunk.map((r, i) =>
      t.db
        .selectFrom(
          t.db
            .selectFrom('syncapi_output_room_events')
            .select(SYNC_EVENT_COLUMNS)
            .where('room_id', '=', r.roomId)
            .where('id', '>', r.after)
            .where('id', '<=', r.upTo)
            .orderBy('id', 'asc')
            .limit(limit)
            .as(`r${i}`),
        )
        .selectAll(),
    );
    let q = parts[0]!;
    for (const p of parts.slice(1)) q = q.unionAll(p);
    for (const r of await q.execute()) out.push(toSyncEvent(r));
  }
  return out.sort((a, b) => a.position - b.position);
}
