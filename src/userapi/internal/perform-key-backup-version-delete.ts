/** Deleting a key backup (`DELETE /room_keys/version/{version}`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { EmptyResponse, KeyBackupVersionRequest } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Deletes the version and every key in it. Deleting it again succeeds (the spec asks it, so a
 * client retrying a lost answer is not told off); a version that never existed is M_NOT_FOUND.
 * The previous live version, if any, becomes the current one again.
 */
export async function performKeyBackupVersionDelete(ctx: UserInternalContext, req: KeyBackupVersionRequest): Promise<EmptyResponse> {
  const localpart = localpartOf(ctx, req.userId);
  const outcome = localpart === undefined ? 'unknown' : await ctx.storage.keyBackup.deleteBackupVersion(localpart, req.version);
  if (outcome === 'unknown') throw MatrixError.notFound('Unknown backup version');
  return {};
}
