/** Updating a key backup's `auth_data` (`PUT /room_keys/version/{version}`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject } from '../../matrix/json.js';
import type { EmptyResponse, PerformKeyBackupVersionUpdateRequest } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Replaces the `auth_data` of a live version (clients re-sign it, e.g. after cross-signing
 * reset). Only `auth_data` may change: the keys in the backup were encrypted for the version's
 * algorithm, so another algorithm is refused rather than silently ignored.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown or deleted version, `M_INVALID_PARAM` for another algorithm.
 */
export async function performKeyBackupVersionUpdate(ctx: UserInternalContext, req: PerformKeyBackupVersionUpdateRequest): Promise<EmptyResponse> {
  if (!isJsonObject(req.authData)) throw MatrixError.badJson('auth_data must be an object');
  const localpart = localpartOf(ctx, req.userId);
  const stored = localpart === undefined ? undefined : await ctx.storage.keyBackup.getBackupVersion(localpart, req.version);
  if (localpart === undefined || !stored) throw MatrixError.notFound('Unknown backup version');
  if (req.algorithm !== stored.algorithm) throw MatrixError.invalidParam('Algorithm does not match the backup version');
  // A deletion between the read and this write leaves nothing to update: the same 404.
  if (!(await ctx.storage.keyBackup.updateBackupAuthData(localpart, req.version, JSON.stringify(req.authData)))) {
    throw MatrixError.notFound('Unknown backup version');
  }
  return {};
}
