/**
 * Synapse's user admin API (`/_synapse/admin/v1|v2/…users…`), the part admin tools use: list,
 * read, create and modify accounts, deactivate them, reset passwords, grant admin rights.
 */
import type { AnyRoute } from '../../internal/httputil/route.js';
import { adminUserAccountRoutes } from './admin-user-account.js';
import { adminUserActionRoutes } from './admin-user-actions.js';
import { adminUsersListRoute } from './admin-users-list.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** Every user admin route. */
export function adminUsersRoutes(deps: ClientRouteDeps): AnyRoute[] {
  return [adminUsersListRoute(deps), ...adminUserAccountRoutes(deps), ...adminUserActionRoutes(deps)];
}
