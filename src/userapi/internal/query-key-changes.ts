/** Reading the key change log (`/keys/changes`, the `device_list` sync stream). */
import type { QueryKeyChangesRequest, QueryKeyChangesResponse, QueryLatestKeyChangePosRequest, QueryLatestKeyChangePosResponse } from '../api.js';
import type { UserInternalContext } from './user-internal-context.js';

/** The users with a key change in (`fromPos`, `toPos`], and the log's latest position. */
export async function queryKeyChanges(ctx: UserInternalContext, req: QueryKeyChangesRequest): Promise<QueryKeyChangesResponse> {
  const latestPos = await ctx.storage.e2eKeys.getLatestKeyChangePosition();
  return { userIds: await ctx.storage.e2eKeys.getKeyChanges(req.fromPos, req.toPos), latestPos };
}

/** The key change log's latest position (0 when nothing changed yet). */
export async function queryLatestKeyChangePos(ctx: UserInternalContext, _req: QueryLatestKeyChangePosRequest): Promise<QueryLatestKeyChangePosResponse> {
  return { position: await ctx.storage.e2eKeys.getLatestKeyChangePosition() };
}
