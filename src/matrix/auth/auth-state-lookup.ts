/**
 * How the auth rules see room state: a function from `(type, state_key)` to the current event, so
 * callers can back it with a state map, an event's auth events or a state-resolution work map.
 */
import type { RoomEvent } from '../room-event.js';
import { stateMapKey } from '../room-event.js';

/** Looks up the auth state: the current state event for (type, stateKey), if any. */
export type AuthStateLookup = (type: string, stateKey: string) => RoomEvent | undefined;

/**
 * A lookup over a list of state events, e.g. an event's auth events. When two events share a
 * `(type, state_key)` the last one wins; events without a state key are ignored.
 */
export function lookupFromEvents(events: Iterable<RoomEvent>): AuthStateLookup {
  const byKey = new Map<string, RoomEvent>();
  for (const ev of events) {
    if (ev.stateKey !== undefined) byKey.set(stateMapKey(ev.type, ev.stateKey), ev);
  }
  return (type, stateKey) => byKey.get(stateMapKey(type, stateKey));
}
