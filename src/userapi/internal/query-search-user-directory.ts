/**
 * Searching the user directory, whose tables the `userapi-roomserver` consumer keeps up to date
 * from the roomserver's output (`consumers/roomserver.ts`); the query is `storage/user-directory-search.ts`.
 */
import type { QuerySearchUserDirectoryRequest, QuerySearchUserDirectoryResponse } from '../api.js';
import type { UserInternalContext } from './user-internal-context.js';

/** Users visible to `searcherId` that match `term`, at most `limit` of them. */
export async function querySearchUserDirectory(
  ctx: UserInternalContext,
  req: QuerySearchUserDirectoryRequest,
): Promise<QuerySearchUserDirectoryResponse> {
  const found = await ctx.storage.searchUserDirectory({
    searcherId: req.searcherId,
    term: req.term,
    limit: Math.max(0, Math.floor(req.limit)),
    searchAllUsers: ctx.searchAllUsers,
    serverName: ctx.serverName,
  });
  return {
    results: found.results.map((r) => ({ userId: r.userId, displayName: r.displayName, avatarUrl: r.avatarUrl })),
    limited: found.limited,
  };
}
