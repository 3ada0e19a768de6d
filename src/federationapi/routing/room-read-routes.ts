/** The federation read routes of rooms: events, states, auth chains, backfill, missing events, events by time. */
import type { AnyRoute } from '../../internal/httputil/route.js';
import { getBackfillRoutes } from './get-backfill.js';
import { getEventAuthRoutes } from './get-event-auth.js';
import { getEventRoutes } from './get-event.js';
import { getMissingEventsRoutes } from './get-missing-events.js';
import { getStateRoutes } from './get-state.js';
import { getTimestampToEventRoutes } from './get-timestamp-to-event.js';
import type { RoomReadRoutesDeps } from './room-read-deps.js';

/** All of them, as one list. */
export function roomReadRoutes(deps: RoomReadRoutesDeps): AnyRoute[] {
  return [...getEventRoutes(deps), ...getStateRoutes(deps), ...getEventAuthRoutes(deps), ...getBackfillRoutes(deps), ...getMissingEventsRoutes(deps), ...getTimestampToEventRoutes(deps)];
}
