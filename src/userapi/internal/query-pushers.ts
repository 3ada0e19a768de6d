/** `GET /pushers`, and the push pipeline's list of where to send a user's notifications. */
import type { QueryPushersRequest, QueryPushersResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/** The user's pushers, oldest set first; none for a user of another server. */
export async function queryPushers(ctx: UserInternalContext, req: QueryPushersRequest): Promise<QueryPushersResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { pushers: [] };
  return { pushers: await ctx.storage.pushers.getPushers(localpart) };
}
