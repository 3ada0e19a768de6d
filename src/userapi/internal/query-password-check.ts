/** Checks a user's password (login, UIA `m.login.password`). */
import type { QueryPasswordCheckRequest, QueryPasswordCheckResponse } from '../api.js';
import { findAccount } from './account-view.js';
import { verifyPassword } from './password-hash.js';
import type { UserInternalContext } from './user-internal-context.js';

/**
 * `ok` only for an active account whose password matches. Unknown users, deactivated accounts
 * and accounts without a password cost the same argon2 work as a wrong password.
 */
export async function queryPasswordCheck(ctx: UserInternalContext, req: QueryPasswordCheckRequest): Promise<QueryPasswordCheckResponse> {
  const account = await findAccount(ctx, req.userId);
  const hash = account && !account.deactivated ? account.passwordHash : null;
  return { ok: await verifyPassword(req.password, hash) };
}
