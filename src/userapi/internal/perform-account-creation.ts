/** Creates an account with its profile (registration, the admin CLI, appservice users). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { checkNewUserLocalpart } from '../../matrix/ids/localpart.js';
import type { AccountType, PerformAccountCreationRequest, PerformAccountCreationResponse } from '../api.js';
import type { StoredAccount } from '../storage/index.js';
import { accountView } from './account-view.js';
import { hashPassword } from './password-hash.js';
import type { UserInternalContext } from './user-internal-context.js';

const ACCOUNT_TYPES: readonly AccountType[] = ['user', 'guest', 'admin', 'appservice'];

/**
 * @throws MatrixError `M_INVALID_USERNAME` for a localpart outside the current grammar,
 *   `M_USER_IN_USE` when it is taken, `M_INVALID_PARAM` for an unknown account type.
 */
export async function performAccountCreation(
  ctx: UserInternalContext,
  req: PerformAccountCreationRequest,
): Promise<PerformAccountCreationResponse> {
  const checked = checkNewUserLocalpart(req.localpart, ctx.serverName);
  if (!checked.ok) throw MatrixError.invalidUsername(checked.reason);
  if (!ACCOUNT_TYPES.includes(req.accountType)) throw MatrixError.invalidParam(`Unknown account type ${String(req.accountType)}`);
  // Checked before hashing so a taken name costs no argon2 work; the insert still decides races.
  if (await ctx.storage.getAccount(req.localpart)) throw MatrixError.userInUse();
  const account: StoredAccount = {
    localpart: req.localpart,
    passwordHash: req.password === undefined ? null : await hashPassword(req.password),
    accountType: req.accountType,
    isAdmin: req.accountType === 'admin',
    deactivated: false,
    appserviceId: req.appserviceId ?? null,
    createdTs: ctx.now(),
  };
  // Synapse's default display name is the localpart; guests get none.
  const displayName = req.displayName ?? (req.accountType === 'guest' ? null : req.localpart);
  if (!(await ctx.storage.createAccount(account, displayName))) throw MatrixError.userInUse();
  return { account: accountView(ctx, { ...account, locked: false, suspended: false }) };
}
