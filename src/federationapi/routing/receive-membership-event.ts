/**
 * The shared body of `send_join`, `send_leave` and `send_knock`: the event the asking server
 * built from our template, checked, co-signed where we vouched for it, and put into the room
 * through the roomserver as a live event that we then send on to the rest of the room
 * (`sendAsServer`: the other servers have not seen it).
 *
 * Checks before input, as in Synapse's `_on_send_membership_event`: the event ID in the path is
 * the event's (computed from its hash from v3), the room ID matches, it is an `m.room.member`
 * event of the expected membership, the sender is its own target, and the sender belongs to
 * the asking server. The roomserver then checks signatures, hash and auth rules; a rejected or
 * soft-failed event is 403 with the reason.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import type { JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { addEventSignature } from '../../matrix/sign-event.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { requireMembershipRoom } from './membership-room-access.js';

/** A `send_*` request. */
export interface MembershipSubmission {
  readonly origin: string;
  readonly roomId: string;
  readonly eventId: string;
  readonly body: JsonObject;
  readonly membership: 'join' | 'leave' | 'knock';
}

/** The accepted event: as put into the room (with our signature when we added one). */
export interface ReceivedMembership {
  readonly event: RoomEvent;
  /** We co-signed it (a restricted join we authorised). */
  readonly signedByUs: boolean;
}

/**
 * Checks, co-signs and inputs the event.
 * @throws MatrixError 404/403 for the room (`requireMembershipRoom`), 400 `M_BAD_JSON` for a
 *   malformed or mismatched event, 403 for a wrong sender or an event the room refuses.
 */
export async function receiveMembershipEvent(deps: MembershipRoutesDeps, s: MembershipSubmission): Promise<ReceivedMembership> {
  const api = deps.membershipRoomserverApi;
  const rv = await requireMembershipRoom(api, s.origin, s.roomId);
  const parsed = parseEvent(s.body, rv);
  if (parsed.eventId !== s.eventId) throw MatrixError.badJson(`The event's ID is ${parsed.eventId}, not ${s.eventId}`);
  if (parsed.roomId !== s.roomId) throw MatrixError.badJson(`The event is for room ${parsed.roomId}, not ${s.roomId}`);
  if (parsed.type !== 'm.room.member') throw MatrixError.badJson('The event must be an m.room.member event');
  if (parsed.content.membership !== s.membership) throw MatrixError.badJson(`The event's membership must be "${s.membership}"`);
  if (parsed.stateKey !== parsed.sender) throw MatrixError.badJson('The sender must be the event\'s state_key');
  if (domainOf(parsed.sender) !== s.origin) throw MatrixError.forbidden(`The sender ${parsed.sender} is not from server ${s.origin}`);
  const via = parsed.content.join_authorised_via_users_server;
  const signedByUs = s.membership === 'join' && typeof via === 'string' && domainOf(via) === deps.serverName;
  const json = signedByUs ? addEventSignature(s.body, rv, deps.serverName, deps.signingKey) : s.body;
  const { results } = await api.inputRoomEvents({
    inputs: [{ kind: 'new', event: json, roomVersion: rv.id, origin: s.origin, sendAsServer: deps.serverName }],
  });
  const result = results[0];
  if (!result?.accepted) throw MatrixError.forbidden(`The ${s.membership} was refused: ${result?.rejection?.reason ?? 'unknown'} (${result?.rejection?.rule ?? 'input'})`);
  if (result.softFailed) throw MatrixError.forbidden(`The ${s.membership} is not allowed by the room's current state`);
  return { event: parseEvent(json, rv, { trustedEventId: parsed.eventId }), signedByUs };
}
