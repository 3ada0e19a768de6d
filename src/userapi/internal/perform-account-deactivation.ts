/** Deactivates an account: it can no longer log in and every session of it ends at once. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { EmptyResponse, PerformAccountDeactivationRequest } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Deletes devices, access/refresh/login tokens, account data (push rules included) and the
 * password; with `erase` also the profile.
 * Repeating it is harmless. Leaving rooms and dropping pushers are the caller's part.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown user.
 */
export async function performAccountDeactivation(ctx: UserInternalContext, req: PerformAccountDeactivationRequest): Promise<EmptyResponse> {
  const localpart = localpartOf(ctx, req.userId);
  const deleted = localpart === undefined ? undefined : await ctx.storage.deactivateAccount(localpart, req.erase);
  // Deleted devices are key changes (queued with the deletion): publish them.
  await ctx.flushOutbox();
  if (deleted === undefined) throw MatrixError.notFound(`Unknown user ${req.userId}`);
  ctx.tokenCache.forgetUser(req.userId);
  return {};
}
