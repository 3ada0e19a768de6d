/**
 * `GET /_matrix/federation/v1/make_join/{roomId}/{userId}?ver=…`: the join event template for a
 * user of the asking server. `ver` lists the room versions the asker supports (repeated; "1"
 * when absent, as the spec says). For a restricted room the template names a local user who
 * can vouch for the join (`restricted-join.ts`).
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { membershipTemplate } from './make-membership-template.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { requireMembershipRoom, requireUserOfOrigin } from './membership-room-access.js';
import { joinAuthorisation } from './restricted-join.js';

/** The route. */
export function makeJoinRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  const api = deps.membershipRoomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/make_join/:roomId/:userId',
      auth: 'federation',
      rateLimit: 'default',
      schema: {
        params: Type.Object({ roomId: Type.String(), userId: Type.String() }),
        query: Type.Object({ ver: Type.Optional(Type.Array(Type.String())) }),
      },
      handler: async ({ params, query, origin }) => {
        const asker = origin!.serverName;
        requireUserOfOrigin(params.userId, asker);
        const rv = await requireMembershipRoom(api, asker, params.roomId, query.ver ?? ['1']);
        const authorisation = await joinAuthorisation(deps, params.roomId, params.userId, rv);
        return membershipTemplate(api, params.roomId, params.userId, { membership: 'join', ...authorisation });
      },
    }),
  ];
}
