/**
 * OpenID tokens: a user asks for one (`POST /user/{userId}/openid/request_token`) and hands it to
 * a third party, which trades it at `GET /_matrix/federation/v1/openid/userinfo` for the user's
 * ID. They prove identity and nothing else, are reusable until they expire, and stop working
 * when the account is deactivated.
 */
import type { PerformOpenIdTokenCreationRequest, PerformOpenIdTokenCreationResponse, QueryOpenIdTokenRequest, QueryOpenIdTokenResponse } from '../api.js';
import { requireActiveAccount } from './account-view.js';
import { hashSecret, newSecretToken, TOKEN_PREFIX } from './secret-token.js';
import { userIdOf, type UserInternalContext } from './user-internal-context.js';

/** How long a token is valid: an hour, as Synapse and Dendrite issue them. */
export const OPENID_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** @throws MatrixError see {@link requireActiveAccount}. */
export async function performOpenIdTokenCreation(ctx: UserInternalContext, req: PerformOpenIdTokenCreationRequest): Promise<PerformOpenIdTokenCreationResponse> {
  const account = await requireActiveAccount(ctx, req.userId);
  const token = newSecretToken(TOKEN_PREFIX.openid);
  const now = ctx.now();
  await ctx.storage.addOpenIdToken(hashSecret(token), account.localpart, now + OPENID_TOKEN_LIFETIME_MS, now);
  return { token, expiresInMs: OPENID_TOKEN_LIFETIME_MS };
}

/** The token's user; null when the token is unknown or expired, or the account was deactivated since. */
export async function queryOpenIdToken(ctx: UserInternalContext, req: QueryOpenIdTokenRequest): Promise<QueryOpenIdTokenResponse> {
  const localpart = await ctx.storage.getOpenIdToken(hashSecret(req.token), ctx.now());
  if (localpart === undefined) return { userId: null };
  const account = await ctx.storage.getAccount(localpart);
  return { userId: account && !account.deactivated ? userIdOf(ctx, localpart) : null };
}
