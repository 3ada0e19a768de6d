/** Suspending and unsuspending an account (spec "Account suspension", `PUT /admin/suspend/{userId}`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformAccountSuspensionUpdateRequest, PerformAccountSuspensionUpdateResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Sets the flag and drops the user's cached token owners: the flag travels with the token owner
 * to the clientapi's routes, which refuse what a suspended user may not do.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown, remote or deactivated user.
 */
export async function performAccountSuspensionUpdate(
  ctx: UserInternalContext,
  req: PerformAccountSuspensionUpdateRequest,
): Promise<PerformAccountSuspensionUpdateResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined || !(await ctx.storage.setAccountModeration(localpart, 'suspended', req.suspended))) {
    throw MatrixError.notFound('User not found');
  }
  ctx.tokenCache.forgetUser(req.userId);
  return { suspended: req.suspended };
}
