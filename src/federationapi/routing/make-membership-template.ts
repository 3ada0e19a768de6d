/**
 * The shared body of `make_join`, `make_leave` and `make_knock`: after the room and origin
 * checks, the roomserver's template of the user's member event on the room's current head
 * (`queryEventTemplate`), which fails with 403 when the auth rules already refuse it (a banned
 * user's join, a leave of someone not in the room, a knock on a room that does not allow it).
 */
import type { JsonObject } from '../../matrix/json.js';
import type { MembershipRoomserverAPI } from './membership-deps.js';

/** What the `make_*` routes answer. */
export interface MembershipTemplate {
  readonly room_version: string;
  readonly event: JsonObject;
}

/** The template of `userId`'s member event with `content` (which carries the `membership`). */
export async function membershipTemplate(api: MembershipRoomserverAPI, roomId: string, userId: string, content: JsonObject): Promise<MembershipTemplate> {
  const { roomVersion, event } = await api.queryEventTemplate({
    roomId,
    proto: { type: 'm.room.member', stateKey: userId, sender: userId, content },
  });
  return { room_version: roomVersion, event };
}
