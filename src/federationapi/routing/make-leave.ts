/**
 * `GET /_matrix/federation/v1/make_leave/{roomId}/{userId}`: the leave event template for a
 * user of the asking server (to leave a room, or reject an invite, through us). A user with no
 * membership to give up gets 403 from the auth rules. The spec's `make_leave` takes no `ver`, so
 * no room version is checked.
 */
import type { AnyRoute } from '../../internal/httputil/route.js';
import { makeMembershipRoute } from './make-membership-route.js';
import type { MembershipRoutesDeps } from './membership-deps.js';

/** The route. */
export function makeLeaveRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  return [makeMembershipRoute(deps, { membership: 'leave', supported: () => undefined, content: async () => ({}) })];
}
