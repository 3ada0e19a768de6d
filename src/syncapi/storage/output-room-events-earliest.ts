/**
 * The earliest events of several rooms' position ranges, for the legacy `GET /events` stream,
 * which hands a client everything after its token in stream order and continues where a page
 * stopped. `selectRecentEvents` reads the other end of the same ranges (a sync timeline's latest
 * events); both are `selectRangeEnds`, from either end.
 */
import { selectRangeEnds, type RoomRange, type SyncEvent } from './output-room-events-table.js';
import type { SyncDb } from './sync-db.js';

/**
 * The first `limit` events of each range, all ranges together in stream order. Among them, the
 * first `limit` overall are exactly the first `limit` events of the union of the ranges (each is
 * among the first `limit` of its own range), which is what lets a caller page on by position.
 */
export async function selectEarliestEvents(t: SyncDb, ranges: readonly RoomRange[], limit: number): Promise<SyncEvent[]> {
  return (await selectRangeEnds(t, ranges, limit, 'earliest')).sort((a, b) => a.position - b.position);
}
