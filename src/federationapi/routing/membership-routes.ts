/**
 * The inbound membership routes of federation: other servers' users joining, leaving and
 * knocking through us (`make_*` then `send_*`), and invites of our users from other servers.
 */
import type { AnyRoute } from '../../internal/httputil/route.js';
import { inviteRoutes } from './invite.js';
import { makeJoinRoutes } from './make-join.js';
import { makeKnockRoutes } from './make-knock.js';
import { makeLeaveRoutes } from './make-leave.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { sendJoinRoutes } from './send-join.js';
import { sendKnockRoutes } from './send-knock.js';
import { sendLeaveRoutes } from './send-leave.js';

/** All of them, as one list. */
export function membershipRoutes(deps: MembershipRoutesDeps): AnyRoute[] {
  return [
    ...makeJoinRoutes(deps),
    ...sendJoinRoutes(deps),
    ...makeLeaveRoutes(deps),
    ...sendLeaveRoutes(deps),
    ...makeKnockRoutes(deps),
    ...sendKnockRoutes(deps),
    ...inviteRoutes(deps),
  ];
}
