/** What `/sync` tells a device about its one-time and fallback keys. */
import type { QueryOneTimeKeyCountsRequest, QueryOneTimeKeyCountsResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/** The device's unclaimed one-time keys per algorithm and the algorithms of its unused fallback keys. */
export async function queryOneTimeKeyCounts(ctx: UserInternalContext, req: QueryOneTimeKeyCountsRequest): Promise<QueryOneTimeKeyCountsResponse> {
  if (localpartOf(ctx, req.userId) === undefined) return { oneTimeKeyCounts: {}, unusedFallbackKeyTypes: [] };
  return ctx.storage.e2eKeys.countKeys(req.userId, req.deviceId);
}
