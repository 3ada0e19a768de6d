/**
 * Who an access token belongs to: on every authenticated request, so answered from the token
 * cache when possible (see `access-token-cache.ts` for how stale an entry may be). The owner
 * carries the account's lock and suspension flags; changing them drops the user's cache entries.
 */
import type { QueryAccessTokenRequest, QueryAccessTokenResponse, TokenOwner } from '../api.js';
import { hashSecret } from './secret-token.js';
import { userIdOf, type UserInternalContext } from './user-internal-context.js';

/** `owner` null for an unknown token; `expired` true for an expired one (soft logout). */
export async function queryAccessToken(ctx: UserInternalContext, req: QueryAccessTokenRequest): Promise<QueryAccessTokenResponse> {
  const hash = hashSecret(req.accessToken);
  const now = ctx.now();
  let found = ctx.tokenCache.get(hash, now);
  if (!found) {
    const t = await ctx.storage.findAccessToken(hash);
    // Deactivation deletes tokens; the check guards a token read while it was happening.
    if (!t || t.deactivated) return { owner: null, expired: false };
    const owner: TokenOwner = {
      userId: userIdOf(ctx, t.localpart),
      deviceId: t.deviceId,
      isGuest: t.accountType === 'guest',
      isAdmin: t.isAdmin,
      appserviceId: t.appserviceId,
      locked: t.locked,
      suspended: t.suspended,
    };
    found = { owner, expiresTs: t.expiresTs };
    ctx.tokenCache.set(hash, found, now);
  }
  if (found.expiresTs !== null && found.expiresTs <= now) return { owner: null, expired: true };
  return { owner: found.owner, expired: false };
}
