/**
 * `GET /_matrix/federation/v1/make_leave/{roomId}/{userId}`: the leave event template for a
 * user of the asking server (to leave a room, or reject an invite, through us). A user with no
 * membership to give up gets 403 from the auth rules.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { membershipTemplate } from './make-membership-template.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { requireMembershipRoom, requireUserOfOrigin } from './membership-room-access.js';

/** The route. */
export function makeLeaveRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  const api = deps.membershipRoomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/make_leave/:roomId/:userId',
      auth: 'federation',
      rateLimit: 'default',
      schema: { params: Type.Object({ roomId: Type.String(), userId: Type.String() }) },
      handler: async ({ params, origin }) => {
        const asker = origin!.serverName;
        requireUserOfOrigin(params.userId, asker);
        await requireMembershipRoom(api, asker, params.roomId);
        return membershipTemplate(api, params.roomId, params.userId, { membership: 'leave' });
      },
    }),
  ];
}
