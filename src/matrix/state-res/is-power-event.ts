/**
 * Power events (state resolution v2): the state events that can take an ability away, which
 * step 1 of the algorithm resolves first.
 */
import type { RoomEvent } from '../room-event.js';

/**
 * `m.room.power_levels` and `m.room.join_rules` state events, and `m.room.member` kicks and bans
 * (`leave` or `ban` sent by someone other than the target). Synapse also counts `m.room.create`;
 * the spec doesn't, and a create event only reaches the full conflicted set when a room has two,
 * which the auth rules already make impossible to use.
 */
export function isPowerEvent(event: RoomEvent): boolean {
  if (event.stateKey === undefined) return false;
  switch (event.type) {
    case 'm.room.power_levels':
    case 'm.room.join_rules':
      return event.stateKey === '';
    case 'm.room.member': {
      const m = event.content['membership'];
      return (m === 'leave' || m === 'ban') && event.sender !== event.stateKey;
    }
    default:
      return false;
  }
}
