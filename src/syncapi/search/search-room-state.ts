/**
 * `state` of a search response (`include_state`): the state of each room with a result on the
 * page, keyed by room ID. "Current" state for rooms the user is in; for a room they left, the
 * state as it stood at their leave (`sync/room-state-at.ts`), since what changed after it is no
 * more theirs to see than the events after it.
 */
import type { HistoryDeps } from '../history/history-access.js';
import type { HistoryServing } from '../history/history-serving.js';
import { NO_UPPER_BOUND, roomStatesAt } from '../sync/room-state-at.js';
import type { ResponseEvent } from '../sync/sync-response.js';
import type { SearchRoom } from './search-rooms.js';

/** The state of each room of `servings` (each among `rooms`), served by its room's serving. */
export async function searchRoomState(deps: HistoryDeps, rooms: readonly SearchRoom[], servings: ReadonlyMap<string, HistoryServing>): Promise<Record<string, ResponseEvent[]>> {
  const points = rooms.filter((r) => servings.has(r.roomId)).map((r) => ({ roomId: r.roomId, at: r.left ? r.upTo : NO_UPPER_BOUND }));
  const states = await roomStatesAt(deps, points);
  const out: Record<string, ResponseEvent[]> = {};
  for (const [roomId, state] of states) {
    const serving = servings.get(roomId)!;
    out[roomId] = [...state.values()].map((item) => serving.state(item.eventId, item.json));
  }
  return out;
}
