/** Creating a server-side key backup (`POST /room_keys/version`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject } from '../../matrix/json.js';
import type { PerformKeyBackupVersionCreateRequest, PerformKeyBackupVersionCreateResponse } from '../api.js';
import { requireActiveAccount } from './account-view.js';
import type { UserInternalContext } from './user-internal-context.js';

/**
 * Creates a new backup version, which becomes the user's current one (keys can then only be
 * written to it). Any algorithm name is stored: the server never reads `auth_data` or the keys,
 * so a newer algorithm than the spec's `m.megolm_backup.v1.curve25519-aes-sha2` costs nothing.
 *
 * @throws MatrixError `M_NOT_FOUND` / `M_USER_DEACTIVATED` for unknown or deactivated users, `M_BAD_JSON` for a malformed request.
 */
export async function performKeyBackupVersionCreate(
  ctx: UserInternalContext,
  req: PerformKeyBackupVersionCreateRequest,
): Promise<PerformKeyBackupVersionCreateResponse> {
  if (typeof req.algorithm !== 'string' || req.algorithm === '') throw MatrixError.badJson('algorithm must be a non-empty string');
  if (!isJsonObject(req.authData)) throw MatrixError.badJson('auth_data must be an object');
  const account = await requireActiveAccount(ctx, req.userId);
  const version = await ctx.storage.keyBackup.createBackupVersion(account.localpart, req.algorithm, JSON.stringify(req.authData));
  return { version };
}
