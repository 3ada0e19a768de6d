/** Turning stored accounts into the API's `Account`, and finding the local account a request names. */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { Account } from '../api.js';
import type { ModeratedAccount } from '../storage/index.js';
import { localpartOf, userIdOf, type UserInternalContext } from './user-internal-context.js';

/** The API's view of an account (no password hash). */
export function accountView(ctx: UserInternalContext, a: ModeratedAccount): Account {
  return {
    userId: userIdOf(ctx, a.localpart),
    localpart: a.localpart,
    accountType: a.accountType,
    isAdmin: a.isAdmin,
    deactivated: a.deactivated,
    appserviceId: a.appserviceId,
    createdTs: a.createdTs,
    locked: a.locked,
    suspended: a.suspended,
  };
}

/** The account of a local user, deactivated or not; undefined for unknown and remote users. */
export async function findAccount(ctx: UserInternalContext, userId: string): Promise<ModeratedAccount | undefined> {
  const localpart = localpartOf(ctx, userId);
  return localpart === undefined ? undefined : ctx.storage.getAccount(localpart);
}

/** The account of a local user that may act; throws M_NOT_FOUND or M_USER_DEACTIVATED. */
export async function requireActiveAccount(ctx: UserInternalContext, userId: string): Promise<ModeratedAccount> {
  const account = await findAccount(ctx, userId);
  if (!account) throw MatrixError.notFound(`Unknown user ${userId}`);
  if (account.deactivated) throw MatrixError.userDeactivated();
  return account;
}
