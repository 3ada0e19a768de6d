/**
 * The iterative auth checks of state resolution v2: apply a sorted list of state events to a
 * state, one at a time, keeping each event that passes the authorisation rules.
 */
import { checkEventAuth } from '../auth/check-event-auth.js';
import { stateMapKey, type RoomEvent } from '../room-event.js';
import type { ResolutionContext } from './resolution-context.js';

/**
 * Returns `base` with every event of `eventIds` that passes auth applied, in order (`base` is not
 * modified). Each event is checked against the state built so far; a `(type, state_key)` the
 * rules need but the state lacks is taken from the event's own auth events, unless that auth
 * event was rejected. Events that were rejected themselves are checked like any other, as the
 * spec asks (Synapse skips them instead). Message events are ignored.
 */
export function iterativeAuthChecks(
  ctx: ResolutionContext,
  eventIds: readonly string[],
  base: ReadonlyMap<string, string>,
): Map<string, string> {
  const state = new Map(base);
  for (const id of eventIds) {
    const event = ctx.event(id);
    if (event.stateKey === undefined) continue;
    if (checkEventAuth(event, lookupFor(ctx, event, state)).allowed) {
      state.set(stateMapKey(event.type, event.stateKey), id);
    }
  }
  return state;
}

function lookupFor(
  ctx: ResolutionContext,
  event: RoomEvent,
  state: ReadonlyMap<string, string>,
): (type: string, stateKey: string) => RoomEvent | undefined {
  const fallback = ctx.authEventsByKey(event, true);
  return (type, stateKey) => {
    const key = stateMapKey(type, stateKey);
    const id = state.get(key);
    const current = id === undefined ? undefined : ctx.maybeEvent(id);
    return current ?? fallback.get(key);
  };
}
