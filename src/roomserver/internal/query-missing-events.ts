/**
 * `queryMissingEvents`: federation's `/get_missing_events` — "a breadth-first walk of the
 * `prev_events` for the `latest_events`, ignoring any events in `earliest_events` and stopping at
 * the `limit`" (spec). The latest events themselves are not returned (the asker has them);
 * `min_depth` ends a branch at events shallower than it. As in Synapse the events nearest the
 * latest ones are kept when the limit cuts the walk, and come back oldest first so the asker can
 * apply them in order. One batched read per level of the walk.
 *
 * Outliers (a gap in our DAG), rejected events and other rooms' events end a branch; soft-failed
 * events are walked through but not served.
 */
import type { QueryMissingEventsRequest, QueryMissingEventsResponse } from '../api.js';
import type { StoredEvent } from '../storage/index.js';
import { toStoredRoomEvent } from './query-state.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** Up to `limit` events, by depth then event ID. */
export async function queryMissingEvents(ctx: RoomserverInternalContext, req: QueryMissingEventsRequest): Promise<QueryMissingEventsResponse> {
  const limit = Math.max(0, Math.floor(req.limit));
  const minDepth = req.minDepth ?? 0;
  const seen = new Set<string>([...req.earliestEvents, ...req.latestEvents]);
  const found: StoredEvent[] = [];
  let level = await inRoom(ctx, req.roomId, [...new Set(req.latestEvents)]);
  while (found.length < limit) {
    const next: string[] = [];
    for (const e of level) {
      for (const p of e.prevEvents) {
        if (seen.has(p)) continue;
        seen.add(p);
        next.push(p);
      }
    }
    if (next.length === 0) break;
    level = (await inRoom(ctx, req.roomId, next)).filter((e) => e.depth >= minDepth);
    for (const e of level) {
      if (found.length >= limit) break;
      if (!e.softFailed) found.push(e);
    }
  }
  found.sort((a, b) => a.depth - b.depth || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  return { events: found.map(toStoredRoomEvent) };
}

/** The stored events of `ids` that belong to the room's DAG (in the room, not outliers, not rejected). */
async function inRoom(ctx: RoomserverInternalContext, roomId: string, ids: readonly string[]): Promise<StoredEvent[]> {
  if (ids.length === 0) return [];
  return (await ctx.storage.getEvents(ids)).filter((e) => e.roomId === roomId && !e.outlier && !e.rejected);
}
