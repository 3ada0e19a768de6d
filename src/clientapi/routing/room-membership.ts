/**
 * Membership endpoints for local users in local rooms: `POST /join/{roomIdOrAlias}`,
 * `POST /rooms/{roomId}/join|leave|invite|kick|ban|unban`. Joins carry the user's display name
 * and avatar from their profile (as do invites of local users, so the invitee shows by name);
 * the roomserver builds the `m.room.member` event and its auth rules decide. A room only other
 * servers are in is joined through the federationapi, via the servers the client names
 * (`via`/`server_name`) and those the roomserver knows of.
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute, type Requester } from '../../internal/httputil/route.js';
import { isValidUserId } from '../../matrix/ids/user-id.js';
import type { JsonObject } from '../../matrix/json.js';
import type { PerformMembershipRequest } from '../../roomserver/api.js';
import type { ClientUserAPI } from '../../userapi/api.js';
import { forbidIfSuspended } from '../auth/forbid-if-suspended.js';
import { checkRoomIdParam } from './account-data.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { ServerListQuery, serverNames } from './server-list-query.js';

const Reason = Type.Object({ reason: Type.Optional(Type.String()) });
const Target = Type.Object({ user_id: Type.String(), reason: Type.Optional(Type.String()) });
const RoomParams = Type.Object({ roomId: Type.String() });

/** `displayname` and `avatar_url` of a local user's profile, as member event content. */
export async function profileContent(userApi: ClientUserAPI, userId: string): Promise<JsonObject> {
  const { found, profile } = await userApi.queryProfile({ userId });
  if (!found) return {};
  return {
    ...(typeof profile.displayname === 'string' ? { displayname: profile.displayname } : {}),
    ...(typeof profile.avatar_url === 'string' ? { avatar_url: profile.avatar_url } : {}),
  };
}

export function roomMembershipRoutes(deps: ClientRouteDeps): AnyRoute[] {
  const rs = deps.roomserverApi;
  async function join(roomIdOrAlias: string, requester: Requester, reason: string | undefined, via: readonly string[] = []): Promise<object> {
    const userId = requester.userId;
    // Also refuses accepting an invite, which is a join (spec "Account suspension").
    forbidIfSuspended(requester);
    const content = { ...(await profileContent(deps.userApi, userId)), ...(reason !== undefined ? { reason } : {}) };
    // Guests may join (spec, guest access); the roomserver admits them only where guest access is can_join.
    const { roomId } = await rs.performJoin({ roomIdOrAlias, userId, content, serverNames: via, ...(requester.isGuest ? { isGuest: true } : {}) });
    return { room_id: roomId };
  }
  const targetRoute = (action: Exclude<PerformMembershipRequest['action'], 'leave'>): AnyRoute =>
    defineRoute({
      method: 'POST',
      path: `/_matrix/client/v3/rooms/:roomId/${action}`,
      auth: 'user',
      rateLimit: 'default',
      schema: { params: RoomParams, body: Target },
      handler: async ({ params, body, requester }) => {
        checkRoomIdParam(params.roomId);
        if (!isValidUserId(body.user_id, { allowHistorical: true })) throw MatrixError.invalidParam(`${body.user_id} is not a valid user ID`);
        if (action === 'invite') forbidIfSuspended(requester);
        const isLocal = body.user_id.endsWith(`:${deps.config.server_name}`);
        const content = action === 'invite' && isLocal ? await profileContent(deps.userApi, body.user_id) : undefined;
        await rs.performMembership({ action, roomId: params.roomId, sender: requester!.userId, target: body.user_id, reason: body.reason, content });
        return {};
      },
    });
  return [
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/join/:roomIdOrAlias',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomIdOrAlias: Type.String() }), query: ServerListQuery, body: Reason },
      handler: async ({ params, query, body, requester }) => join(params.roomIdOrAlias, requester!, body.reason, serverNames(query)),
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/rooms/:roomId/join',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: RoomParams, body: Reason },
      handler: async ({ params, body, requester }) => {
        checkRoomIdParam(params.roomId);
        return join(params.roomId, requester!, body.reason);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/_matrix/client/v3/rooms/:roomId/leave',
      auth: 'user-or-guest',
      rateLimit: 'default',
      schema: { params: RoomParams, body: Reason },
      handler: async ({ params, body, requester }) => {
        checkRoomIdParam(params.roomId);
        const userId = requester!.userId;
        await rs.performMembership({ action: 'leave', roomId: params.roomId, sender: userId, target: userId, reason: body.reason });
        return {};
      },
    }),
    targetRoute('invite'),
    targetRoute('kick'),
    targetRoute('ban'),
    targetRoute('unban'),
  ];
}
