/**
 * `GET /_matrix/federation/v1/make_knock/{roomId}/{userId}?ver=…`: the knock event template
 * for a user of the asking server. Unlike `make_join`, `ver` is required (knocking exists only
 * from room version 7, so there is no "1" to assume).
 */
import Type from 'typebox';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import { membershipTemplate } from './make-membership-template.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { requireMembershipRoom, requireUserOfOrigin } from './membership-room-access.js';

/** The route. */
export function makeKnockRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  const api = deps.membershipRoomserverApi;
  return [
    defineRoute({
      method: 'GET',
      path: '/_matrix/federation/v1/make_knock/:roomId/:userId',
      auth: 'federation',
      rateLimit: 'default',
      schema: {
        params: Type.Object({ roomId: Type.String(), userId: Type.String() }),
        query: Type.Object({ ver: Type.Optional(Type.Array(Type.String())) }),
      },
      handler: async ({ params, query, origin }) => {
        if (query.ver === undefined || query.ver.length === 0) throw MatrixError.missingParam('The room versions you support (ver) are required');
        const asker = origin!.serverName;
        requireUserOfOrigin(params.userId, asker);
        const rv = await requireMembershipRoom(api, asker, params.roomId, query.ver);
        if (!rv.knockSupported) throw MatrixError.incompatibleRoomVersion(rv.id, `Room version ${rv.id} does not support knocking`);
        return membershipTemplate(api, params.roomId, params.userId, { membership: 'knock' });
      },
    }),
  ];
}
