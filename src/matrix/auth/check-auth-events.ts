/**
 * Auth rule 2 (rule 3 in v12), "Considering the event's `auth_events`": the listed auth events
 * must be unique per (type, state_key), exactly those the selection algorithm allows, not
 * rejected, include the create event (v1–v11; v12 forbids it), and all be in the event's room.
 * These depend only on the event and its auth events, so they run once per received event,
 * not during state resolution.
 */
import type { RoomEvent } from '../room-event.js';
import { stateMapKey } from '../room-event.js';
import type { AuthDecision } from './auth-decision.js';
import { allow, deny } from './auth-decision.js';
import { authStateKeys } from './auth-state-keys.js';

/** What the caller knows about the auth events beyond their content. */
export interface AuthEventsOptions {
  /**
   * Whether an auth event was itself rejected under the checks on receipt of a PDU. Rejection is
   * tracked by the caller (the roomserver's storage); without this, no auth event is rejected.
   */
  readonly isRejected?: (eventId: string) => boolean;
}

/**
 * Checks `event`'s auth events, given as the events its `auth_events` names (the caller fetches
 * them; a missing one is the caller's to fetch or to reject). `m.room.create` events are decided
 * by rule 1 alone and always pass here.
 */
export function checkAuthEvents(
  event: RoomEvent,
  authEvents: readonly RoomEvent[],
  options: AuthEventsOptions = {},
): AuthDecision {
  if (event.type === 'm.room.create') return allow('auth_events/create_event');
  const rv = event.roomVersion;
  const seen = new Set<string>();
  for (const ae of authEvents) {
    if (ae.stateKey === undefined) continue; // not state: refused below as unexpected
    const key = stateMapKey(ae.type, ae.stateKey);
    if (seen.has(key)) {
      return deny('auth_events/duplicate', `Duplicate auth events for (${ae.type}, ${ae.stateKey})`);
    }
    seen.add(key);
  }
  const expected = new Set(authStateKeys(event, rv).map(([t, k]) => stateMapKey(t, k)));
  for (const ae of authEvents) {
    if (ae.stateKey === undefined || !expected.has(stateMapKey(ae.type, ae.stateKey))) {
      return deny('auth_events/unexpected', `Auth event ${ae.eventId} (${ae.type}) is not one the event may cite`);
    }
  }
  const rejected = authEvents.find((ae) => options.isRejected?.(ae.eventId) === true);
  if (rejected) return deny('auth_events/rejected', `Auth event ${rejected.eventId} was rejected`);
  if (!rv.createEventNotInAuthEvents && !authEvents.some((ae) => ae.type === 'm.room.create' && ae.stateKey === '')) {
    return deny('auth_events/missing_create', 'The auth events have no m.room.create event');
  }
  const foreign = authEvents.find((ae) => ae.roomId !== event.roomId);
  if (foreign) return deny('auth_events/wrong_room', `Auth event ${foreign.eventId} is in another room`);
  return allow('auth_events/allow');
}
