/**
 * Thumbnails of other servers' media, asked of the origin (its federation thumbnail endpoint)
 * rather than made here from the whole file: a 96×96 avatar of a 20 MB photo costs a few KB of
 * federation traffic, and media over our `max_upload_bytes` can still be shown. The answer is
 * cached in `mediaapi_thumbnails` under the same key a local render would use, so the next request
 * is served from here. When the whole file is already here, or the origin cannot thumbnail the
 * media, the caller renders from the whole file as before.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { DEFAULT_UPLOAD_WAIT_MS, MAX_UPLOAD_WAIT_MS } from '../internal/load-media.js';
import type { MediaContext } from '../internal/media-context.js';
import type { ThumbnailRequest } from '../internal/thumbnail-for.js';
import type { StoredMedia, StoredThumbnail, ThumbnailKey } from '../storage/index.js';
import { chooseThumbnailSpec } from '../thumbnails/thumbnail-plan.js';
import type { RemoteMediaSource } from './remote-media-source.js';

/** A client's thumbnail request for remote media. */
export interface RemoteThumbnailQuery {
  readonly serverName: string;
  readonly mediaId: string;
  /** The client's `timeout_ms` (the wait for an async upload at the origin); capped as downloads are. */
  readonly timeoutMs: number | undefined;
  readonly request: ThumbnailRequest;
}

/**
 * The origin's thumbnail (cached, or fetched now, once for concurrent requests), or null when it
 * is to be made here from the whole file: that file is already here, or the origin cannot
 * thumbnail the media.
 * @throws MatrixError M_NOT_FOUND (quarantined, or federation disabled), M_NOT_YET_UPLOADED, or a
 * 502 (M_TOO_LARGE among them) when the origin fails.
 */
export async function fetchRemoteThumbnail(ctx: MediaContext, q: RemoteThumbnailQuery): Promise<StoredThumbnail | null> {
  const row = await ctx.storage.getMedia(q.serverName, q.mediaId);
  if (row?.quarantined === true) throw MatrixError.notFound('Media not found');
  if (row !== undefined && row.contentHash !== null) return null;
  // The box a local render would use: requests mapping to one configured size share an entry.
  // The media type is unknown here, so `animated` is kept as asked.
  const spec = chooseThumbnailSpec(q.request, ctx.settings.thumbnailSizes, ctx.settings.dynamicThumbnails);
  const key: ThumbnailKey = { origin: q.serverName, mediaId: q.mediaId, ...spec, animated: q.request.animated };
  const cached = await ctx.storage.getThumbnail(key);
  if (cached) return cached;
  const { remote } = ctx;
  if (!remote) throw MatrixError.notFound(`Remote media ${q.serverName}/${q.mediaId} is not available: federation is disabled`);
  const k = `${key.origin}/${key.mediaId}/${key.width}x${key.height}/${key.method}/${key.animated ? 'a' : 's'}`;
  let pending = ctx.remoteThumbnails.get(k);
  if (!pending) {
    const waitMs = Math.min(Math.max(0, q.timeoutMs ?? DEFAULT_UPLOAD_WAIT_MS), MAX_UPLOAD_WAIT_MS);
    pending = fetchAndStore(ctx, remote, key, waitMs).finally(() => ctx.remoteThumbnails.delete(k));
    ctx.remoteThumbnails.set(k, pending);
  }
  return pending;
}

async function fetchAndStore(ctx: MediaContext, remote: RemoteMediaSource, key: ThumbnailKey, waitMs: number): Promise<StoredThumbnail | null> {
  const fetched = await remote.fetchThumbnail({
    origin: key.origin,
    mediaId: key.mediaId,
    waitMs,
    maxBytes: ctx.settings.maxUploadBytes,
    width: key.width,
    height: key.height,
    method: key.method,
    animated: key.animated,
  });
  if (!fetched) {
    ctx.logger.debug({ origin: key.origin, mediaId: key.mediaId }, 'origin has no thumbnail: making one from the whole file');
    return null;
  }
  // The media row first: quarantine and delete find the thumbnails through it.
  await ensureMediaRow(ctx, key.origin, key.mediaId);
  const thumb: StoredThumbnail = { ...key, contentType: fetched.contentType ?? 'application/octet-stream', contentHash: fetched.file.hash, size: fetched.file.size };
  await ctx.storage.addThumbnail(thumb);
  ctx.logger.debug({ origin: key.origin, mediaId: key.mediaId, size: thumb.size }, 'remote thumbnail cached');
  // Another instance may have stored the same key first: its row stands.
  return (await ctx.storage.getThumbnail(key)) ?? thumb;
}

/**
 * An empty row (no bytes, no uploader) for remote media known only by its thumbnails. Its null
 * hash makes a later download fetch the file and fill it (`completeRemoteMedia`); no uploader and
 * no expiry keep it out of the pending-upload count and sweep.
 */
async function ensureMediaRow(ctx: MediaContext, origin: string, mediaId: string): Promise<void> {
  if (await ctx.storage.getMedia(origin, mediaId)) return;
  const empty: StoredMedia = {
    origin,
    mediaId,
    contentHash: null,
    contentType: null,
    uploadName: null,
    size: null,
    userId: null,
    createdTs: ctx.now(),
    unusedExpiresTs: null,
    quarantined: false,
  };
  try {
    await ctx.storage.insertMedia(empty);
  } catch (e) {
    // A concurrent download or thumbnail made the row first: any row will do.
    if (!(await ctx.storage.getMedia(origin, mediaId))) throw e;
  }
}
