/** Listing local accounts a page at a time, for admin tools (Synapse's `GET /_synapse/admin/v2/users`). */
import type { ListedAccount, QueryAccountsRequest, QueryAccountsResponse } from '../api.js';
import { accountView } from './account-view.js';
import type { UserInternalContext } from './user-internal-context.js';

/** The page the request asks for; an offset past the end gives an empty page with the true total. */
export async function queryAccounts(ctx: UserInternalContext, req: QueryAccountsRequest): Promise<QueryAccountsResponse> {
  const page = await ctx.storage.listAccounts({
    offset: req.offset,
    limit: req.limit,
    nameContains: req.nameContains,
    userIdContains: req.userIdContains === undefined ? undefined : { text: req.userIdContains, serverName: ctx.serverName },
    includeGuests: req.includeGuests,
    includeDeactivated: req.includeDeactivated,
    includeLocked: req.includeLocked,
    admins: req.admins,
    orderBy: req.orderBy,
    descending: req.descending,
  });
  const accounts = page.accounts.map(
    (a): ListedAccount => ({ ...accountView(ctx, a), displayname: a.displayname, avatarUrl: a.avatarUrl, lastSeenTs: a.lastSeenTs }),
  );
  return { accounts, total: page.total };
}
