/** Deleting keys from the backup (`DELETE /room_keys/keys[/{roomId}[/{sessionId}]]`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { KeyBackupKeysRequest, KeyBackupKeysStateResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Deletes the keys of a live version in the scope (all, a room's, or one session's); the etag
 * moves only when something was deleted.
 *
 * @throws MatrixError `M_NOT_FOUND` for an unknown or deleted version.
 */
export async function performKeyBackupKeysDelete(ctx: UserInternalContext, req: KeyBackupKeysRequest): Promise<KeyBackupKeysStateResponse> {
  const localpart = localpartOf(ctx, req.userId);
  const scope = { roomId: req.roomId, sessionId: req.roomId === undefined ? undefined : req.sessionId };
  const state = localpart === undefined ? undefined : await ctx.storage.keyBackup.deleteBackupKeys(localpart, req.version, scope);
  if (!state) throw MatrixError.notFound('Unknown backup version');
  return state;
}
