/** Granting and revoking server-admin rights (Synapse's `PUT /_synapse/admin/v1/users/{userId}/admin`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformAccountAdminUpdateRequest, PerformAccountAdminUpdateResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Sets the flag and drops the user's cached token owners, so their next request already has (or
 * no longer has) admin rights. Whether an admin may demote themselves is the caller's rule.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown or remote user.
 */
export async function performAccountAdminUpdate(ctx: UserInternalContext, req: PerformAccountAdminUpdateRequest): Promise<PerformAccountAdminUpdateResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined || !(await ctx.storage.setAccountAdmin(localpart, req.admin))) {
    throw MatrixError.notFound('User not found');
  }
  ctx.tokenCache.forgetUser(req.userId);
  return { admin: req.admin };
}
