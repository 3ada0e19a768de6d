/** Logs a device in: creates it (or reuses the given ID) and issues its tokens. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformDeviceCreationRequest, PerformDeviceCreationResponse } from '../api.js';
import { requireActiveAccount } from './account-view.js';
import { hashSecret, newDeviceId, newSecretToken, TOKEN_PREFIX } from './secret-token.js';
import { userIdOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Reusing a device ID keeps the device (and its name) but replaces its tokens, as the spec
 * asks. With `refreshToken` the access token expires and a refresh token comes with it.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown user, `M_USER_DEACTIVATED` for a deactivated one,
 *   `M_USER_LOCKED` (401, soft logout) for a locked one.
 */
export async function performDeviceCreation(ctx: UserInternalContext, req: PerformDeviceCreationRequest): Promise<PerformDeviceCreationResponse> {
  const account = await requireActiveAccount(ctx, req.userId);
  // Spec (soft logout): a locked account cannot obtain a new access token until it is unlocked.
  if (account.locked) throw MatrixError.userLocked();
  const userId = userIdOf(ctx, account.localpart);
  const deviceId = req.deviceId ?? newDeviceId();
  const accessToken = newSecretToken(TOKEN_PREFIX.access);
  const refreshToken = req.refreshToken ? newSecretToken(TOKEN_PREFIX.refresh) : null;
  const now = ctx.now();
  const lifetime = refreshToken === null ? null : ctx.refreshableAccessTokenLifetimeMs;
  await ctx.storage.openSession({
    localpart: account.localpart,
    deviceId,
    displayName: req.displayName ?? null,
    seen: { ts: now, ip: req.ip ?? null, userAgent: req.userAgent ?? null },
    accessTokenHash: hashSecret(accessToken),
    accessExpiresTs: lifetime === null ? null : now + lifetime,
    refreshTokenHash: refreshToken === null ? null : hashSecret(refreshToken),
  });
  if (req.deviceId !== undefined) ctx.tokenCache.forgetUser(userId, [deviceId]);
  return { session: { userId, deviceId, accessToken, refreshToken, expiresInMs: lifetime } };
}
