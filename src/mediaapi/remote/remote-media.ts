/**
 * Media of other servers (`serverName` ≠ ours): served from the local copy once fetched, else
 * downloaded from the origin through the {@link RemoteMediaSource} and recorded like an upload
 * (origin = the remote server, no uploader). Concurrent requests for the same media share one
 * download; requests arriving while it runs wait for it.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { MediaContext } from '../internal/media-context.js';
import type { StoredMedia } from '../storage/index.js';
import type { RemoteMediaSource } from './remote-media-source.js';

/** How long the client is willing to wait, and what it asked for. */
export interface RemoteMediaRequest {
  readonly serverName: string;
  readonly mediaId: string;
  readonly timeoutMs: number;
}

/**
 * The remote media, stored locally (fetched now if it is not cached yet). A quarantined copy is
 * returned as it is (the caller refuses it), never refetched.
 * @throws MatrixError M_NOT_FOUND, M_NOT_YET_UPLOADED, or a 502 when the origin fails
 */
export async function fetchRemoteMedia(ctx: MediaContext, req: RemoteMediaRequest): Promise<StoredMedia> {
  const cached = await ctx.storage.getMedia(req.serverName, req.mediaId);
  if (cached && (cached.contentHash !== null || cached.quarantined)) return cached;
  const { remote } = ctx;
  if (!remote) throw MatrixError.notFound(`Remote media ${req.serverName}/${req.mediaId} is not available: federation is disabled`);
  const key = `${req.serverName}/${req.mediaId}`;
  let pending = ctx.remoteFetches.get(key);
  if (!pending) {
    pending = download(ctx, remote, req).finally(() => ctx.remoteFetches.delete(key));
    ctx.remoteFetches.set(key, pending);
  }
  return pending;
}

async function download(ctx: MediaContext, remote: RemoteMediaSource, req: RemoteMediaRequest): Promise<StoredMedia> {
  const fetched = await remote.fetch({ origin: req.serverName, mediaId: req.mediaId, waitMs: req.timeoutMs, maxBytes: ctx.settings.maxUploadBytes });
  const media: StoredMedia = {
    origin: req.serverName,
    mediaId: req.mediaId,
    contentHash: fetched.file.hash,
    contentType: fetched.contentType ?? 'application/octet-stream',
    uploadName: fetched.uploadName,
    size: fetched.file.size,
    userId: null,
    createdTs: ctx.now(),
    unusedExpiresTs: null,
    quarantined: false,
  };
  try {
    await ctx.storage.insertMedia(media);
  } catch (e) {
    // The row exists: either the empty one left by thumbnails fetched from the origin
    // (`remote-thumbnail.ts`), filled now, or another instance's copy, which stands.
    if (!(await ctx.storage.getMedia(req.serverName, req.mediaId))) throw e;
    await ctx.storage.completeRemoteMedia(req.serverName, req.mediaId, { contentHash: fetched.file.hash, contentType: media.contentType ?? 'application/octet-stream', uploadName: media.uploadName, size: fetched.file.size });
    const stored = await ctx.storage.getMedia(req.serverName, req.mediaId);
    if (!stored) throw e;
    return stored;
  }
  ctx.logger.debug({ origin: req.serverName, mediaId: req.mediaId, size: media.size }, 'remote media cached');
  return media;
}
