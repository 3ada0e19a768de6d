/**
 * The state before an incoming event, from its prev events: the state after the one prev event
 * (shared with it in storage), or the resolution of the states after each when there are
 * several that differ. The caller may supply the state (fetched over federation) as event IDs,
 * which then wins; without it an event with an unknown prev event cannot be placed yet.
 */
import { stateMapKey, type RoomEvent } from '../../matrix/room-event.js';
import type { StateInput } from '../storage/index.js';
import { loadEvents } from './load-events.js';
import { resolveStates, stateChanges } from './resolve-states.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/**
 * Where the state before an event comes from, and the whole state when it had to be computed
 * here; with a single prev event it is left in storage (`afterEvent` of that event).
 */
export type StateBefore =
  | { readonly ok: true; readonly input: StateInput; readonly state?: ReadonlyMap<string, string>; readonly afterEvent?: string }
  | { readonly ok: false; readonly missing: readonly string[] };

/** The state before `event` (see the file comment). */
export async function stateBeforeEvent(
  ctx: RoomserverInternalContext,
  event: RoomEvent,
  suppliedStateIds: readonly string[] | undefined,
): Promise<StateBefore> {
  // State the caller fetched from a server in the room (a send_join answer, a gap filled with
  // /state_ids) is the state before the event: our own copy of its prev events may hold less —
  // an invite received for a room we were not in is stored with no state before it.
  if (suppliedStateIds) return suppliedState(ctx, suppliedStateIds);
  const prevs = await loadEvents(ctx, event.prevEvents);
  const missing = event.prevEvents.filter((id) => {
    const p = prevs.get(id);
    return !p || p.outlier || p.rejected;
  });
  if (missing.length > 0 || event.prevEvents.length === 0) {
    return event.prevEvents.length === 0 ? { ok: true, input: {}, state: new Map() } : { ok: false, missing };
  }
  const [first] = event.prevEvents;
  if (event.prevEvents.length === 1 && first !== undefined) return { ok: true, input: { base: { afterEvent: first } }, afterEvent: first };
  const sets = await Promise.all(event.prevEvents.map((id) => ctx.storage.getState({ afterEvent: id })));
  const states = sets.filter((s): s is Map<string, string> => s !== undefined);
  if (states.length !== sets.length || first === undefined) return { ok: false, missing: event.prevEvents };
  const resolved = await resolveStates(ctx, event.roomVersion, states);
  const changes = stateChanges(states[0]!, resolved);
  return { ok: true, input: { base: { afterEvent: first }, changes }, state: resolved };
}

/** The state given as event IDs, which must all be stored. */
async function suppliedState(ctx: RoomserverInternalContext, ids: readonly string[]): Promise<StateBefore> {
  const loaded = await loadEvents(ctx, ids);
  const missing = ids.filter((id) => !loaded.has(id));
  if (missing.length > 0) return { ok: false, missing };
  const state = new Map<string, string>();
  for (const l of loaded.values()) if (l.event.stateKey !== undefined) state.set(stateMapKey(l.event.type, l.event.stateKey), l.event.eventId);
  return { ok: true, input: { changes: state }, state };
}
