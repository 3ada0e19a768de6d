/**
 * `queryStateBeforeEvent`: the room's state *before* one of its events, as federation's
 * `/state` and `/state_ids` serve it (the spec: "the fully resolved state for the room, prior to
 * considering any state changes induced by the requested event"). Storage keeps the state after
 * each event; for a message event that is the same snapshot, for a state event its own entry is
 * swapped back for what it replaced (one keyed read of the state before it).
 */
import { stateMapKey } from '../../matrix/room-event.js';
import type { QueryStateBeforeEventRequest, QueryStateBeforeEventResponse } from '../api.js';
import { toStoredRoomEvent } from './query-state.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

const NOT_FOUND: QueryStateBeforeEventResponse = { found: false, eventIds: [], events: [] };

/**
 * `found: false` when the event is unknown, of another room, an outlier (we hold no state at
 * it) or rejected (its place in the DAG is not one we vouch for). Event IDs sorted.
 */
export async function queryStateBeforeEvent(ctx: RoomserverInternalContext, req: QueryStateBeforeEventRequest): Promise<QueryStateBeforeEventResponse> {
  const [at] = await ctx.storage.getEvents([req.eventId]);
  if (!at || at.roomId !== req.roomId || at.outlier || at.rejected) return NOT_FOUND;
  const after = await ctx.storage.getState({ afterEvent: at.eventId });
  if (!after) return NOT_FOUND;
  const state = new Map(after);
  if (at.stateKey !== undefined) {
    const key = stateMapKey(at.type, at.stateKey);
    const before = (await ctx.storage.getStatesBefore([at.eventId], { tuples: [[at.type, at.stateKey]] })).get(at.eventId);
    const replaced = before?.get(key);
    if (replaced === undefined) state.delete(key);
    else state.set(key, replaced);
  }
  const eventIds = [...state.values()].sort();
  if (req.idsOnly) return { found: true, eventIds, events: [] };
  return { found: true, eventIds, events: (await ctx.storage.getEvents(eventIds)).map(toStoredRoomEvent) };
}
