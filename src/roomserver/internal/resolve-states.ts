/**
 * Resolving the states of several branches of a room (its forward extremities, or an event's
 * prev events) with the room version's algorithm. Loads what resolution reads: every event of
 * the state sets and the stored auth chains of the conflicted ones. Forks are rare on the send
 * path, so this favours being complete over being cheap.
 */
import type { RoomEvent, StateMap } from '../../matrix/room-event.js';
import type { RoomVersion } from '../../matrix/room-version.js';
import { resolveState } from '../../matrix/state-res/resolve-state.js';
import { fromStored, loadEvents } from './load-events.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** The resolved state of `stateSets`; a copy of the set when they all agree. */
export async function resolveStates(ctx: RoomserverInternalContext, rv: RoomVersion, stateSets: readonly StateMap[]): Promise<Map<string, string>> {
  const [first, ...rest] = stateSets;
  if (!first) return new Map();
  if (rest.every((s) => sameState(first, s))) return new Map(first);
  const all = new Set<string>();
  for (const s of stateSets) for (const id of s.values()) all.add(id);
  const conflicted = new Set<string>();
  for (const k of new Set(stateSets.flatMap((s) => [...s.keys()]))) {
    const ids = new Set(stateSets.map((s) => s.get(k)));
    if (ids.size > 1) for (const id of ids) if (id !== undefined) conflicted.add(id);
  }
  const events = new Map<string, RoomEvent>();
  const rejected = new Set<string>();
  for (const [id, l] of await loadEvents(ctx, all)) {
    events.set(id, l.event);
    if (l.rejected) rejected.add(id);
  }
  for (const stored of await ctx.storage.getAuthChain([...conflicted])) {
    if (events.has(stored.eventId)) continue;
    const l = fromStored(stored);
    events.set(stored.eventId, l.event);
    if (l.rejected) rejected.add(stored.eventId);
  }
  return resolveState({
    roomVersion: rv,
    stateSets,
    getEvent: (id) => events.get(id),
    isRejected: (id) => rejected.has(id),
  });
}

/** The changes turning `from` into `to` (a key mapped to null is removed). */
export function stateChanges(from: StateMap, to: StateMap): Map<string, string | null> {
  const changes = new Map<string, string | null>();
  for (const [k, id] of to) if (from.get(k) !== id) changes.set(k, id);
  for (const k of from.keys()) if (!to.has(k)) changes.set(k, null);
  return changes;
}

function sameState(a: StateMap, b: StateMap): boolean {
  if (a.size !== b.size) return false;
  for (const [k, id] of a) if (b.get(k) !== id) return false;
  return true;
}
