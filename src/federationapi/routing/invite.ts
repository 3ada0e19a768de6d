/**
 * `PUT /_matrix/federation/v2/invite/{roomId}/{eventId}` (body `{room_version, event,
 * invite_room_state}`) and `…/v1/…` (body: the event, its stripped state in
 * `unsigned.invite_room_state`; answer `[200, {event}]`): another server invites one of our
 * users. We check what we can before vouching for the invite with our signature — a room
 * version we implement (else 400 `M_INCOMPATIBLE_ROOM_VERSION`, the spec's answer so the
 * inviter can tell its user), an event whose ID and room match the path, an `m.room.member`
 * invite of one of our users, sent by a user of the asking server, and the room's server ACL
 * when we know the room — then the roomserver verifies the inviter's signature and hash and
 * stores it (`performReceiveInvite`: as an outlier when we are in the room, else as all we know
 * of the room, so the invitee sees it). The answer is the event with our signature added.
 *
 * v1 carries no room version: as Synapse does, we take the room's when we know it, else "1"
 * (v1 and v2 differ only in state resolution, which an invite never needs).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { parseEvent } from '../../matrix/parse-event.js';
import { isKnownRoomVersion, roomVersion } from '../../matrix/room-version.js';
import { addEventSignature } from '../../matrix/sign-event.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { requireAclAllows } from './membership-room-access.js';

const params = Type.Object({ roomId: Type.String(), eventId: Type.String() });
const JsonObj = Type.Record(Type.String(), Type.Unknown());

/** One received invite. */
interface InviteRequest {
  readonly origin: string;
  readonly roomId: string;
  readonly eventId: string;
  readonly roomVersion: string;
  readonly event: JsonObject;
  readonly inviteRoomState: readonly JsonObject[];
}

/** Both routes. */
export function inviteRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  const api = deps.membershipRoomserverApi;
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v2/invite/:roomId/:eventId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params, body: Type.Object({ room_version: Type.String(), event: JsonObj, invite_room_state: Type.Optional(Type.Array(JsonObj)) }) },
      handler: async ({ params: p, body, origin }) => {
        const inviteRoomState = (body.invite_room_state ?? []) as JsonObject[];
        const event = await receiveInvite(deps, { origin: origin!.serverName, ...p, roomVersion: body.room_version, event: body.event as JsonObject, inviteRoomState });
        return { event };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v1/invite/:roomId/:eventId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params, body: JsonObj },
      handler: async ({ params: p, body, origin }) => {
        const pdu = body as JsonObject;
        const unsigned = isJsonObject(pdu.unsigned) ? pdu.unsigned : {};
        const state = Array.isArray(unsigned.invite_room_state) ? unsigned.invite_room_state.filter(isJsonObject) : [];
        const info = await api.queryRoomInfo({ roomId: p.roomId });
        const version = info.exists && info.roomVersion !== null ? info.roomVersion : '1';
        const event = await receiveInvite(deps, { origin: origin!.serverName, ...p, roomVersion: version, event: pdu, inviteRoomState: state });
        return [200, { event }];
      },
    }),
  ];
}

/** Checks, co-signs and hands the invite to the roomserver; the co-signed event. */
async function receiveInvite(deps: MembershipRoutesDeps, req: InviteRequest): Promise<JsonObject> {
  if (!isKnownRoomVersion(req.roomVersion)) throw MatrixError.incompatibleRoomVersion(req.roomVersion, `This server does not implement room version ${req.roomVersion}`);
  const rv = roomVersion(req.roomVersion);
  const event = parseEvent(req.event, rv);
  if (event.eventId !== req.eventId) throw MatrixError.badJson(`The event's ID is ${event.eventId}, not ${req.eventId}`);
  if (event.roomId !== req.roomId) throw MatrixError.badJson(`The event is for room ${event.roomId}, not ${req.roomId}`);
  if (event.type !== 'm.room.member' || event.content.membership !== 'invite') throw MatrixError.badJson('The event must be an m.room.member invite');
  if (event.stateKey === undefined || domainOf(event.stateKey) !== deps.serverName) {
    throw MatrixError.invalidParam(`The invite is for ${event.stateKey ?? 'nobody'}, not a user of this server`);
  }
  if (domainOf(event.sender) !== req.origin) throw MatrixError.forbidden(`The sender ${event.sender} is not from server ${req.origin}`);
  const api = deps.membershipRoomserverApi;
  const info = await api.queryRoomInfo({ roomId: req.roomId });
  if (info.exists && info.roomVersion !== null) await requireAclAllows(api, req.origin, req.roomId);
  const signed = addEventSignature(req.event, rv, deps.serverName, deps.signingKey);
  await api.performReceiveInvite({ event: signed, roomVersion: rv.id, inviteRoomState: req.inviteRoomState, origin: req.origin });
  return signed;
}
