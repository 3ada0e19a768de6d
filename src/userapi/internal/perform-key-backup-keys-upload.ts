/** Storing session keys in the backup (`PUT /room_keys/keys[/{roomId}[/{sessionId}]]`). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { isJsonObject } from '../../matrix/json.js';
import type { KeyBackupKeysStateResponse, PerformKeyBackupKeysUploadRequest } from '../api.js';
import { backupRowsOf } from './key-backup-rows.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * Stores the keys in the user's current version; a stored key of the same session is replaced
 * only by a better one (the storage applies the spec's order). The etag moves only when some
 * key was stored, so a client re-uploading what is there sees its etag unchanged.
 *
 * @throws MatrixError 403 `M_WRONG_ROOM_KEYS_VERSION` with `current_version` when `version` is
 *   not the current one; `M_NOT_FOUND` when the user has no backup; `M_BAD_JSON` for a malformed key.
 */
export async function performKeyBackupKeysUpload(ctx: UserInternalContext, req: PerformKeyBackupKeysUploadRequest): Promise<KeyBackupKeysStateResponse> {
  if (!isJsonObject(req.rooms)) throw MatrixError.badJson('rooms must be an object');
  const rows = backupRowsOf(req.rooms);
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) throw MatrixError.notFound('Unknown backup version');
  const outcome = await ctx.storage.keyBackup.putBackupKeys(localpart, req.version, rows);
  switch (outcome.kind) {
    case 'written':
      return { etag: outcome.etag, count: outcome.count };
    case 'wrong-version':
      throw MatrixError.wrongRoomKeysVersion(outcome.currentVersion);
    case 'no-backup':
      throw MatrixError.notFound('No current backup version');
  }
}
