/**
 * `POST /user_directory/search`: finds users by ID or display name among those the searcher may
 * see (the userapi's `querySearchUserDirectory` decides which). As in Synapse, guests may not
 * search and `limit` (default 10) is clamped to 0…50.
 */
import Type from 'typebox';
import { defineRoute, type AnyRoute } from '../../internal/httputil/route.js';
import type { ClientRouteDeps } from './client-route-deps.js';

/** Results when the client gives no `limit`. */
export const DEFAULT_DIRECTORY_LIMIT = 10;
/** The most results one search returns, whatever `limit` asks. */
export const MAX_DIRECTORY_LIMIT = 50;

const SearchBody = Type.Object({
  search_term: Type.String(),
  limit: Type.Optional(Type.Integer()),
});

/** The route; the search itself is the userapi's `querySearchUserDirectory`. */
export function userDirectorySearch(deps: ClientRouteDeps): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: '/_matrix/client/v3/user_directory/search',
    auth: 'user',
    rateLimit: 'default',
    schema: { body: SearchBody },
    handler: async ({ body, requester }) => {
      const limit = Math.min(MAX_DIRECTORY_LIMIT, Math.max(0, body.limit ?? DEFAULT_DIRECTORY_LIMIT));
      const found = await deps.userApi.querySearchUserDirectory({ searcherId: requester!.userId, term: body.search_term, limit });
      return {
        results: found.results.map((r) => ({
          user_id: r.userId,
          ...(r.displayName !== null ? { display_name: r.displayName } : {}),
          ...(r.avatarUrl !== null ? { avatar_url: r.avatarUrl } : {}),
        })),
        limited: found.limited,
      };
    },
  });
}
