/** Reads of accounts: one account, and whether a localpart is free. */
import type {
  QueryAccountAvailabilityRequest,
  QueryAccountAvailabilityResponse,
  QueryAccountRequest,
  QueryAccountResponse,
} from '../api.js';
import { accountView, findAccount } from './account-view.js';
import type { UserInternalContext } from './user-internal-context.js';

/** The account of a local user (deactivated ones included), or null. */
export async function queryAccount(ctx: UserInternalContext, req: QueryAccountRequest): Promise<QueryAccountResponse> {
  const account = await findAccount(ctx, req.userId);
  return { account: account ? accountView(ctx, account) : null };
}

/** Whether no account has the localpart (deactivated accounts keep theirs: IDs are never reused). */
export async function queryAccountAvailability(
  ctx: UserInternalContext,
  req: QueryAccountAvailabilityRequest,
): Promise<QueryAccountAvailabilityResponse> {
  return { available: (await ctx.storage.getAccount(req.localpart)) === undefined };
}
