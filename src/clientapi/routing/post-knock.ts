/**
 * `POST /knock/{roomIdOrAlias}`: asks to join a room (room versions with knocking). The knock
 * carries the user's display name and avatar, as a join does, so moderators see who is asking;
 * the roomserver's auth rules decide whether the room takes knocks. `via` and `server_name`
 * name servers to knock through, which matters only for rooms this server is not in: those
 * need federation and are `M_NOT_FOUND` until then.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { forbidIfSuspended } from '../auth/forbid-if-suspended.js';
import type { ClientRouteDeps } from './client-route-deps.js';
import { profileContent } from './room-membership.js';
import { ServerListQuery, serverNames } from './server-list-query.js';


export function postKnock(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/knock/:roomIdOrAlias',
    auth: 'user',
    rateLimit: 'default',
    schema: {
      params: Type.Object({ roomIdOrAlias: Type.String() }),
      query: ServerListQuery,
      body: Type.Object({ reason: Type.Optional(Type.String()) }),
    },
    handler: async ({ params, query, body, requester }) => {
      forbidIfSuspended(requester);
      const userId = requester!.userId;
      const { roomId } = await deps.roomserverApi.performKnock({
        roomIdOrAlias: params.roomIdOrAlias,
        userId,
        reason: body.reason,
        content: await profileContent(deps.userApi, userId),
        serverNames: serverNames(query),
      });
      return { room_id: roomId };
    },
  });
}
