/**
 * `GET /_matrix/federation/v1/make_join/{roomId}/{userId}?ver=…`: the join event template for a
 * user of the asking server. `ver` lists the room versions the asker supports (repeated; "1"
 * when absent, as the spec says). For a restricted room the template names a local user who
 * can vouch for the join (`restricted-join.ts`).
 */
import type { AnyRoute } from '../../internal/httputil/route.js';
import { makeMembershipRoute } from './make-membership-route.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { joinAuthorisation } from './restricted-join.js';

/** The route. */
export function makeJoinRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  return [
    makeMembershipRoute(deps, {
      membership: 'join',
      supported: (ver) => ver ?? ['1'],
      content: (rv, roomId, userId) => joinAuthorisation(deps, roomId, userId, rv),
    }),
  ];
}
