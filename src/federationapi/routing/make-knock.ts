/**
 * `GET /_matrix/federation/v1/make_knock/{roomId}/{userId}?ver=…`: the knock event template
 * for a user of the asking server. Unlike `make_join`, `ver` is required (knocking exists only
 * from room version 7, so there is no "1" to assume).
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { AnyRoute } from '../../internal/httputil/route.js';
import { makeMembershipRoute } from './make-membership-route.js';
import type { MembershipRoutesDeps } from './membership-deps.js';

/** The route. */
export function makeKnockRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  return [
    makeMembershipRoute(deps, {
      membership: 'knock',
      supported: (ver) => {
        if (ver === undefined || ver.length === 0) throw MatrixError.missingParam('The room versions you support (ver) are required');
        return ver;
      },
      content: async (rv) => {
        if (!rv.knockSupported) throw MatrixError.incompatibleRoomVersion(rv.id, `Room version ${rv.id} does not support knocking`);
        return {};
      },
    }),
  ];
}
