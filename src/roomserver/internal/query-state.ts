/** `queryState`: the current state of a room, or the state after one of its events, whole or filtered. */
import type { JsonObject } from '../../matrix/json.js';
import type { QueryStateRequest, QueryStateResponse, StoredRoomEvent } from '../api.js';
import type { StateFilter, StoredEvent } from '../storage/index.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** `found: false` when the room is unknown or has no state, or the event is not a stored non-outlier of that room. */
export async function queryState(ctx: RoomserverInternalContext, req: QueryStateRequest): Promise<QueryStateResponse> {
  if (req.atEventId !== undefined) {
    const [at] = await ctx.storage.getEvents([req.atEventId]);
    if (!at || at.roomId !== req.roomId || at.outlier) return { found: false, events: [] };
  } else if (!(await ctx.storage.getRoomInfo(req.roomId))?.hasState) {
    return { found: false, events: [] };
  }
  const filter: StateFilter | undefined =
    req.stateTuples || req.types ? { ...(req.stateTuples ? { tuples: req.stateTuples } : {}), ...(req.types ? { types: req.types } : {}) } : undefined;
  const point = req.atEventId !== undefined ? { afterEvent: req.atEventId } : { currentOf: req.roomId };
  const events = await ctx.storage.getStateEvents(point, filter);
  if (!events) return { found: false, events: [] };
  events.sort((a, b) => (a.type === b.type ? compare(a.stateKey ?? '', b.stateKey ?? '') : compare(a.type, b.type)));
  return { found: true, events: events.map(toStoredRoomEvent) };
}

/** The API's view of a stored event (its JSON as stored: redacted once a redaction applied). */
export function toStoredRoomEvent(e: StoredEvent): StoredRoomEvent {
  return {
    eventId: e.eventId,
    roomId: e.roomId,
    roomVersion: e.roomVersion,
    event: JSON.parse(e.json) as JsonObject,
    rejected: e.rejected,
    outlier: e.outlier,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
