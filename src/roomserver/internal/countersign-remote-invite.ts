/**
 * An invite of a user of another server must carry that server's signature before it is sent
 * into the room (spec "Inviting to a room"): the federationapi sends it to the invitee's server
 * and returns it countersigned. Called inside the room's queue, before the event is stored, so
 * a refused invite is never part of the room.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { RoomserverInternalContext } from './roomserver-internal-context.js';

/** `event` countersigned when it invites a remote user; any other event unchanged. */
export async function countersignRemoteInvite(ctx: RoomserverInternalContext, event: RoomEvent): Promise<RoomEvent> {
  if (event.type !== 'm.room.member' || event.content.membership !== 'invite' || event.stateKey === undefined) return event;
  if (domainOf(event.stateKey) === ctx.serverName) return event;
  const federation = ctx.federation();
  if (!federation) throw MatrixError.forbidden('This server does not federate: only its own users can be invited');
  const unsigned = isJsonObject(event.json.unsigned) ? event.json.unsigned : {};
  const stripped = Array.isArray(unsigned.invite_room_state) ? unsigned.invite_room_state.filter(isJsonObject) : [];
  const { event: signed } = await federation.performInvite({ event: event.json, roomVersion: event.roomVersion.id, inviteRoomState: stripped });
  const signatures: JsonObject = isJsonObject(signed.signatures) ? signed.signatures : {};
  return { ...event, json: { ...event.json, signatures } };
}
