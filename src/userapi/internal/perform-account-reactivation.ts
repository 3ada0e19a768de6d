/** Re-activating a deactivated account (Synapse's admin API: `PUT /_synapse/admin/v2/users/{userId}` with `deactivated: false`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { EmptyResponse, PerformAccountReactivationRequest } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * The account comes back without devices, password, account data or (if it was erased) profile:
 * deactivation deleted them for good, as Synapse's does. The admin sets a password next; rooms
 * the user left are not rejoined.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown or remote user.
 */
export async function performAccountReactivation(ctx: UserInternalContext, req: PerformAccountReactivationRequest): Promise<EmptyResponse> {
  const localpart = localpartOf(ctx, req.userId);
  const account = localpart === undefined ? undefined : await ctx.storage.getAccount(localpart);
  if (localpart === undefined || !account) throw MatrixError.notFound('User not found');
  if (account.deactivated) await ctx.storage.reactivateAccount(localpart);
  return {};
}
