/**
 * `queryEventByTimestamp`: the event closest to a time, for `timestamp_to_event`. Only what this
 * server holds is searched; asking other servers (the federation endpoint) when local history
 * has a gap there comes with the federationapi. Whether the asker may see the event is the
 * caller's check (`queryEventVisibility`).
 */
import type { QueryEventByTimestampRequest, QueryEventByTimestampResponse } from '../api.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** The first event at or after `ts` (`f`) or the last at or before it (`b`), or null. */
export async function queryEventByTimestamp(ctx: RoomserverInternalContext, req: QueryEventByTimestampRequest): Promise<QueryEventByTimestampResponse> {
  const found = await ctx.storage.getEventByTimestamp(req.roomId, req.ts, req.dir);
  return { event: found ?? null };
}
