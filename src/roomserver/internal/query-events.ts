/** `queryEvents`: stored events by ID, in the order asked, unknown ones left out. */
import type { QueryEventsRequest, QueryEventsResponse } from '../api.js';
import { toStoredRoomEvent } from './query-state.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

export async function queryEvents(ctx: RoomserverInternalContext, req: QueryEventsRequest): Promise<QueryEventsResponse> {
  return { events: (await ctx.storage.getEvents(req.eventIds)).map(toStoredRoomEvent) };
}
