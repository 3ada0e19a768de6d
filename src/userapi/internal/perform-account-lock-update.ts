/** Locking and unlocking an account (spec "Account locking", `PUT /admin/lock/{userId}`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformAccountLockUpdateRequest, PerformAccountLockUpdateResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Sets the flag and drops the user's cached token owners, so the very next request of any of
 * their devices sees it (other userapi processes see it once their cache entries expire, see
 * `access-token-cache.ts`). Tokens are kept: the spec wants sessions to survive an unlock.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown, remote or deactivated user.
 */
export async function performAccountLockUpdate(ctx: UserInternalContext, req: PerformAccountLockUpdateRequest): Promise<PerformAccountLockUpdateResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined || !(await ctx.storage.setAccountModeration(localpart, 'locked', req.locked))) {
    throw MatrixError.notFound('User not found');
  }
  ctx.tokenCache.forgetUser(req.userId);
  return { locked: req.locked };
}
