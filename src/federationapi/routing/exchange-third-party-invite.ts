/**
 * `PUT /_matrix/federation/v1/exchange_third_party_invite/{roomId}` (spec "Third-party
 * invites"): the server of a user who just bound a third-party identifier (an email address an
 * invite was sent to) asks us — the server of the user who sent that invite — to turn it into a
 * real invite. The partial member event names the inviter as sender, the new user as target and
 * carries the identity server's signed block; we send the invite as our user, and the auth rules
 * decide (the signature must match a public key of the room's `m.room.third_party_invite` with
 * that token, and the inviter must still be allowed to invite). An invite of a remote user then
 * goes to their server as any other (performInvite).
 *
 * `PUT /_matrix/federation/v1/3pid/onbind` starts this: the identity server tells the new
 * user's server which pending invites the identifier had, and each is exchanged with the
 * inviter's server (or performed here when the inviter is ours).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import type { Logger } from 'pino';
import type { RoomserverAPI } from '../../roomserver/api.js';
import type { FederationClient } from '../client/federation-client.js';

/** What the routes need. */
export interface ThirdPartyInviteRoutesDeps {
  readonly serverName: string;
  readonly thirdPartyRoomserverApi: Pick<RoomserverAPI, 'performMembership'>;
  /** For `onbind`: exchanging an invite with the inviter's server. */
  readonly federationClient: Pick<FederationClient, 'request'>;
  readonly logger?: Logger;
}

/** The partial invite, checked; the request for the roomserver. */
export function checkPartialInvite(serverName: string, roomId: string, body: JsonObject): { sender: string; target: string; thirdPartyInvite: JsonObject } {
  const { type, room_id: eventRoom, sender, state_key: target, content } = body;
  if (type !== 'm.room.member') throw MatrixError.badJson('The event must be an m.room.member event');
  if (eventRoom !== roomId) throw MatrixError.badJson(`The event is for room ${String(eventRoom)}, not ${roomId}`);
  if (typeof sender !== 'string' || typeof target !== 'string') throw MatrixError.badJson('sender and state_key must be strings');
  if (domainOf(sender) !== serverName) throw MatrixError.forbidden(`The inviter ${sender} is not a user of this server`);
  if (!isJsonObject(content) || content.membership !== 'invite') throw MatrixError.badJson('The event must have membership "invite"');
  const tpi = content.third_party_invite;
  if (!isJsonObject(tpi) || !isJsonObject(tpi.signed)) throw MatrixError.badJson('content.third_party_invite.signed is required');
  if (tpi.signed.mxid !== target) throw MatrixError.badJson('third_party_invite.signed.mxid must be the invited user');
  return { sender, target, thirdPartyInvite: tpi };
}

/** The routes: the exchange, and `3pid/onbind` which starts it. */
export function exchangeThirdPartyInviteRoutes(deps: ThirdPartyInviteRoutesDeps): AnyRoute[] {
  const invite = async (roomId: string, body: JsonObject): Promise<void> => {
    const { sender, target, thirdPartyInvite } = checkPartialInvite(deps.serverName, roomId, body);
    await deps.thirdPartyRoomserverApi.performMembership({ action: 'invite', roomId, sender, target, content: { third_party_invite: thirdPartyInvite } });
  };
  return [
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v1/exchange_third_party_invite/:roomId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String() }), body: Type.Record(Type.String(), Type.Unknown()) },
      handler: async ({ params, body }) => {
        await invite(params.roomId, body as JsonObject);
        return {};
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/_matrix/federation/v1/3pid/onbind',
      // Called by identity servers, which have no server keys: what it starts is checked by the
      // invite's auth rules (the identity server's signature over the token), not by the caller.
      auth: 'none',
      rateLimit: 'default',
      schema: { body: OnBind },
      handler: async ({ body }) => {
        for (const inv of body.invites) {
          if (inv.mxid !== body.mxid || domainOf(inv.mxid) !== deps.serverName) throw MatrixError.invalidParam(`${inv.mxid} is not the bound user of this server`);
          const partial: JsonObject = {
            type: 'm.room.member',
            room_id: inv.room_id,
            sender: inv.sender,
            state_key: inv.mxid,
            content: { membership: 'invite', third_party_invite: { display_name: inv.display_name ?? inv.address, signed: inv.signed as JsonObject } },
          };
          try {
            const inviterServer = domainOf(inv.sender);
            if (inviterServer === deps.serverName) await invite(inv.room_id, partial);
            else {
              await deps.federationClient.request({
                method: 'PUT',
                destination: inviterServer ?? '',
                path: `/_matrix/federation/v1/exchange_third_party_invite/${encodeURIComponent(inv.room_id)}`,
                body: partial,
              });
            }
          } catch (e) {
            // One stale invite must not block the others (Synapse logs and continues too).
            deps.logger?.info({ roomId: inv.room_id, err: e instanceof Error ? e.message : String(e) }, '3pid onbind: exchanging an invite failed');
          }
        }
        return {};
      },
    }),
  ];
}

/** The body an identity server sends once a third-party identifier is bound to a user. */
const OnBind = Type.Object({
  address: Type.String(),
  medium: Type.String(),
  mxid: Type.String(),
  invites: Type.Array(
    Type.Object({
      address: Type.String(),
      medium: Type.String(),
      mxid: Type.String(),
      room_id: Type.String(),
      sender: Type.String(),
      display_name: Type.Optional(Type.String()),
      signed: Type.Record(Type.String(), Type.Unknown()),
    }),
    { maxItems: 100 },
  ),
});
