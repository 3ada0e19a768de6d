/** Every public route of the federationapi, as one list. */
import type { AnyRoute } from '../../internal/httputil/route.js';
import type { DirectoryRoutesDeps } from './directory-routes-deps.js';
import { exchangeThirdPartyInviteRoutes, type ThirdPartyInviteRoutesDeps } from './exchange-third-party-invite.js';
import { keyQueryRoutes } from './key-query.js';
import type { MembershipRoutesDeps } from './membership-deps.js';
import { membershipRoutes } from './membership-routes.js';
import type { KeyRoutesDeps } from './key-routes-deps.js';
import { keyServerRoutes } from './key-server.js';
import { openIdUserinfoRoutes } from './openid-userinfo.js';
import { publicRoomsRoutes } from './public-rooms.js';
import { queryDirectoryRoutes } from './query-directory.js';
import { queryProfileRoutes } from './query-profile.js';
import type { QueryRoutesDeps } from './query-routes-deps.js';
import type { RoomReadRoutesDeps } from './room-read-deps.js';
import { roomReadRoutes } from './room-read-routes.js';
import type { SendTransactionDeps } from './send-transaction-deps.js';
import { sendTransactionRoutes } from './send-transaction.js';
import { spaceHierarchyRoutes } from './space-hierarchy.js';
import { userKeysRoutes, type UserKeysRoutesDeps } from './user-keys.js';
import { versionRoutes } from './version.js';

export type { KeyRoutesDeps, QueryRoutesDeps };

/** What all the routes need. */
export type FederationapiRouteDeps = KeyRoutesDeps & QueryRoutesDeps & DirectoryRoutesDeps & RoomReadRoutesDeps & SendTransactionDeps & MembershipRoutesDeps & ThirdPartyInviteRoutesDeps & UserKeysRoutesDeps;

/** Every route: keys, version, queries, directory, room reads, `/send`, membership handshakes. */
export function federationapiRoutes(deps: FederationapiRouteDeps): AnyRoute[] {
  return [...keyServerRoutes(deps), ...keyQueryRoutes(deps), ...versionRoutes(), ...queryProfileRoutes(deps), ...queryDirectoryRoutes(deps), ...publicRoomsRoutes(deps), ...spaceHierarchyRoutes(deps), ...openIdUserinfoRoutes(deps), ...roomReadRoutes(deps), ...sendTransactionRoutes(deps), ...membershipRoutes(deps), ...exchangeThirdPartyInviteRoutes(deps), ...userKeysRoutes(deps)];
}
