/**
 * The seam for media of other servers (`serverName` ≠ ours). Fetching over federation
 * (`/_matrix/federation/v1/media/download`), caching and thumbnailing remote media belong to
 * this folder; until that lands every remote media is "not found".
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { MediaContext } from '../internal/media-context.js';
import type { StoredMedia } from '../storage/index.js';

/** How long the client is willing to wait, and what it asked for. */
export interface RemoteMediaRequest {
  readonly serverName: string;
  readonly mediaId: string;
  readonly timeoutMs: number;
}

/**
 * The remote media, stored locally (fetched now if it is not cached yet). Throws M_NOT_FOUND
 * when the remote server does not have it (and, for now, always).
 */
export async function fetchRemoteMedia(_ctx: MediaContext, req: RemoteMediaRequest): Promise<StoredMedia> {
  throw MatrixError.notFound(`Remote media ${req.serverName}/${req.mediaId} is not available`);
}
