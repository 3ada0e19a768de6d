/** Reading back a stored `/sync` filter (`GET /user/{userId}/filter/{filterId}`, and `/sync?filter=<id>`). */
import type { QueryFilterRequest, QueryFilterResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/** The user's filter `filterId`, or null when they have none by that ID (remote users have none). */
export async function queryFilter(ctx: UserInternalContext, req: QueryFilterRequest): Promise<QueryFilterResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { filter: null };
  const json = await ctx.storage.getFilter(localpart, req.filterId);
  return { filter: json === undefined ? null : (JSON.parse(json) as Record<string, unknown>) };
}
