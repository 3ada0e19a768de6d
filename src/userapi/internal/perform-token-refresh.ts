/** `POST /refresh`: trades a refresh token for a new access token and refresh token. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { PerformTokenRefreshRequest, PerformTokenRefreshResponse } from '../api.js';
import { hashSecret, newSecretToken, TOKEN_PREFIX } from './secret-token.js';
import { userIdOf, type UserInternalContext } from './user-internal-context.js';

/**
 * The old refresh token stays usable until the new access or refresh token is first used (spec),
 * then it is gone; see `storage/token-sessions.ts`.
 *
 * @throws MatrixError `M_UNKNOWN_TOKEN` (without soft logout) for an unknown or retired token,
 *   `M_USER_LOCKED` (401, soft logout) when the account is locked.
 */
export async function performTokenRefresh(ctx: UserInternalContext, req: PerformTokenRefreshRequest): Promise<PerformTokenRefreshResponse> {
  const accessToken = newSecretToken(TOKEN_PREFIX.access);
  const refreshToken = newSecretToken(TOKEN_PREFIX.refresh);
  const now = ctx.now();
  const lifetime = ctx.refreshableAccessTokenLifetimeMs;
  const device = await ctx.storage.rotateRefreshToken(hashSecret(req.refreshToken), {
    accessTokenHash: hashSecret(accessToken),
    accessExpiresTs: now + lifetime,
    refreshTokenHash: hashSecret(refreshToken),
    now,
  });
  if (!device) throw MatrixError.unknownToken('Unknown refresh token');
  // A locked account gets no new access token (spec, soft logout). The tokens just stored are
  // never handed out, so the old refresh token stays usable for when the account is unlocked.
  if ((await ctx.storage.getAccount(device.localpart))?.locked === true) throw MatrixError.userLocked();
  return {
    session: { userId: userIdOf(ctx, device.localpart), deviceId: device.deviceId, accessToken, refreshToken, expiresInMs: lifetime },
  };
}
