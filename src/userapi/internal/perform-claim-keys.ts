/** `/keys/claim` for this server's devices. */
import type { JsonValue } from '../../matrix/json.js';
import type { PerformClaimKeysRequest, PerformClaimKeysResponse } from '../api.js';
import type { KeyClaim } from '../storage/e2e-key-storage.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Claims one key per local device asked for, in one transaction: its oldest one-time key of the
 * algorithm (deleted), else its fallback key of the algorithm (kept, marked used). Devices with
 * neither are left out, as are other servers' users (the caller asks their servers).
 */
export async function performClaimKeys(ctx: UserInternalContext, req: PerformClaimKeysRequest): Promise<PerformClaimKeysResponse> {
  const claims: KeyClaim[] = [];
  for (const [userId, devices] of Object.entries(req.oneTimeKeys)) {
    if (localpartOf(ctx, userId) === undefined) continue;
    for (const [deviceId, algorithm] of Object.entries(devices)) claims.push({ userId, deviceId, algorithm });
  }
  const claimed = claims.length === 0 ? [] : await ctx.storage.e2eKeys.claimKeys(claims);
  const oneTimeKeys: Record<string, Record<string, Record<string, JsonValue>>> = {};
  claims.forEach((c, i) => {
    const key = claimed[i];
    if (!key) return;
    (oneTimeKeys[c.userId] ??= {})[c.deviceId] = { [key.keyId]: key.key };
  });
  return { oneTimeKeys };
}
