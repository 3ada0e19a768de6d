/** Changes a password, optionally logging out the user's other devices. */
import type { EmptyResponse, PerformPasswordUpdateRequest } from '../api.js';
import { requireActiveAccount } from './account-view.js';
import { hashPassword } from './password-hash.js';
import { userIdOf, type UserInternalContext } from './user-internal-context.js';

/** @throws MatrixError `M_NOT_FOUND` for an unknown user, `M_USER_DEACTIVATED` for a deactivated one. */
export async function performPasswordUpdate(ctx: UserInternalContext, req: PerformPasswordUpdateRequest): Promise<EmptyResponse> {
  const account = await requireActiveAccount(ctx, req.userId);
  const hash = await hashPassword(req.newPassword);
  const logout = req.logoutDevices ? { exceptDeviceId: req.keepDeviceId } : undefined;
  const deleted = (await ctx.storage.setPasswordHash(account.localpart, hash, logout)) ?? [];
  // Deleted devices are key changes (queued with the deletion): publish them.
  if (deleted.length > 0) await ctx.flushOutbox();
  if (deleted.length > 0) ctx.tokenCache.forgetUser(userIdOf(ctx, account.localpart), deleted);
  return {};
}
