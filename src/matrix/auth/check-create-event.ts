/**
 * Auth rule 1: `m.room.create`. It depends on no state, only on the event itself.
 */
import type { RoomEvent } from '../room-event.js';
import { isKnownRoomVersion } from '../room-version.js';
import { isValidUserId } from '../ids/user-id.js';
import type { AuthDecision } from './auth-decision.js';
import { allow, deny } from './auth-decision.js';
import { domainOf } from '../ids/domain-of.js';

/** User IDs already in rooms may use the historical grammar, which servers must accept in events. */
const HISTORICAL = { allowHistorical: true } as const;

/** Checks an `m.room.create` event against rule 1 of its room version. */
export function checkCreateEvent(event: RoomEvent): AuthDecision {
  const rv = event.roomVersion;
  if (event.prevEvents.length > 0) {
    return deny('m.room.create/prev_events', 'The create event must not have prev_events');
  }
  if (rv.roomIdIsCreateHash) {
    // v12: the room ID is derived from the create event, so the event must not carry one.
    if ('room_id' in event.json) {
      return deny('m.room.create/room_id_present', 'The create event must not have a room_id');
    }
  } else if (domainOf(event.roomId) !== domainOf(event.sender)) {
    return deny('m.room.create/room_id_domain', "The room ID's server must be the sender's server");
  }
  const version = event.content.room_version;
  if (version !== undefined && (typeof version !== 'string' || !isKnownRoomVersion(version))) {
    return deny('m.room.create/room_version', `Unknown room version ${JSON.stringify(version)}`);
  }
  if (rv.createHasCreator && !('creator' in event.content)) {
    return deny('m.room.create/creator_missing', 'The create event content has no creator');
  }
  if (rv.privilegedCreators && 'additional_creators' in event.content) {
    const extra = event.content.additional_creators;
    if (!Array.isArray(extra) || !extra.every((id) => typeof id === 'string' && isValidUserId(id, HISTORICAL))) {
      return deny('m.room.create/additional_creators', 'additional_creators must be an array of user IDs');
    }
  }
  return allow('m.room.create/allow');
}
