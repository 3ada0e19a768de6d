/** Single-use `m.login.token` tokens (QR login, SSO, `POST /login/get_token`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type {
  PerformLoginTokenCreationRequest,
  PerformLoginTokenCreationResponse,
  PerformLoginTokenRedemptionRequest,
  PerformLoginTokenRedemptionResponse,
} from '../api.js';
import { requireActiveAccount } from './account-view.js';
import { hashSecret, newSecretToken, TOKEN_PREFIX } from './secret-token.js';
import { userIdOf, type UserInternalContext } from './user-internal-context.js';

/** @throws MatrixError `M_INVALID_PARAM` for a lifetime that is not a positive integer; see {@link requireActiveAccount}. */
export async function performLoginTokenCreation(
  ctx: UserInternalContext,
  req: PerformLoginTokenCreationRequest,
): Promise<PerformLoginTokenCreationResponse> {
  if (!Number.isSafeInteger(req.lifetimeMs) || req.lifetimeMs <= 0) throw MatrixError.invalidParam('lifetimeMs must be a positive integer');
  const account = await requireActiveAccount(ctx, req.userId);
  const token = newSecretToken(TOKEN_PREFIX.login);
  const now = ctx.now();
  await ctx.storage.addLoginToken(hashSecret(token), account.localpart, now, now + req.lifetimeMs);
  return { token, expiresInMs: req.lifetimeMs };
}

/** Uses the token up; its user, or null when it is unknown, already used or expired. */
export async function performLoginTokenRedemption(
  ctx: UserInternalContext,
  req: PerformLoginTokenRedemptionRequest,
): Promise<PerformLoginTokenRedemptionResponse> {
  const localpart = await ctx.storage.takeLoginToken(hashSecret(req.token), ctx.now());
  return { userId: localpart === undefined ? null : userIdOf(ctx, localpart) };
}
