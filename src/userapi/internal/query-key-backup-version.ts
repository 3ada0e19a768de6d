/** Reading a key backup version (`GET /room_keys/version[/{version}]`). */
import type { QueryKeyBackupVersionRequest, QueryKeyBackupVersionResponse } from '../api.js';
import { localpartOf, type UserInternalContext } from './user-internal-context.js';

/** The user's live version `version` (their current one when absent) with its etag and key count; null when there is none. */
export async function queryKeyBackupVersion(ctx: UserInternalContext, req: QueryKeyBackupVersionRequest): Promise<QueryKeyBackupVersionResponse> {
  const localpart = localpartOf(ctx, req.userId);
  if (localpart === undefined) return { backup: null };
  const stored = await ctx.storage.keyBackup.getBackupVersion(localpart, req.version);
  if (!stored) return { backup: null };
  return {
    backup: {
      version: stored.version,
      algorithm: stored.algorithm,
      authData: JSON.parse(stored.authData) as Record<string, unknown>,
      etag: stored.etag,
      count: stored.count,
    },
  };
}
