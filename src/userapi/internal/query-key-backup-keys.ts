/** Reading keys from the backup (`GET /room_keys/keys[/{roomId}[/{sessionId}]]`). */
import type { KeyBackupKeysRequest, QueryKeyBackupKeysResponse } from '../api.js';
import { backupRoomsOf } from './key-backup-rows.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/**
 * The keys of a live version (any live version, not only the current one: a client restoring
 * from an older backup may still read it) in the scope; null when the version is unknown or deleted.
 */
export async function queryKeyBackupKeys(ctx: UserInternalContext, req: KeyBackupKeysRequest): Promise<QueryKeyBackupKeysResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { rooms: null };
  const scope = { roomId: req.roomId, sessionId: req.roomId === undefined ? undefined : req.sessionId };
  const rows = await ctx.storage.keyBackup.getBackupKeys(localpart, req.version, scope);
  return { rooms: rows === undefined ? null : backupRoomsOf(rows) };
}
