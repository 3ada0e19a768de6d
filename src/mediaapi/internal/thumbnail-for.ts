/**
 * A thumbnail of a stored media: from the cache (`mediaapi_thumbnails`) or rendered now, once
 * even if several requests ask at the same time. When the original already fits, the cached
 * "thumbnail" is the original file itself (same hash), so the check is not repeated.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { StoredThumbnail, ThumbnailKey } from '../storage/index.js';
import { renderThumbnail, THUMBNAILABLE_TYPES } from '../thumbnails/render-thumbnail.js';
import { chooseThumbnailSpec, type ThumbnailSpec } from '../thumbnails/thumbnail-plan.js';
import type { AvailableMedia } from './load-media.js';
import type { MediaContext } from './media-context.js';

/** What the client asked for. */
export interface ThumbnailRequest extends ThumbnailSpec {
  readonly animated: boolean;
}

const ANIMATABLE = new Set(['image/gif', 'image/webp']);

/** The thumbnail to serve for `req`; M_NOT_FOUND when the media is not an image we thumbnail. */
export async function thumbnailFor(ctx: MediaContext, media: AvailableMedia, req: ThumbnailRequest): Promise<StoredThumbnail> {
  const type = baseType(media.contentType);
  if (!THUMBNAILABLE_TYPES.has(type)) throw MatrixError.notFound('No thumbnail is available for this media type');
  const spec = chooseThumbnailSpec(req, ctx.settings.thumbnailSizes, ctx.settings.dynamicThumbnails);
  // Only GIF and WebP can be animated: other types share the still thumbnail's cache entry.
  const key: ThumbnailKey = { origin: media.origin, mediaId: media.mediaId, ...spec, animated: req.animated && ANIMATABLE.has(type) };
  const cached = await ctx.storage.getThumbnail(key);
  if (cached) return cached;
  const k = `${key.origin}/${key.mediaId}/${key.width}x${key.height}/${key.method}/${key.animated ? 'a' : 's'}`;
  let pending = ctx.rendering.get(k);
  if (!pending) {
    pending = render(ctx, media, key, type).finally(() => ctx.rendering.delete(k));
    ctx.rendering.set(k, pending);
  }
  return pending;
}

async function render(ctx: MediaContext, media: AvailableMedia, key: ThumbnailKey, type: string): Promise<StoredThumbnail> {
  const out = await renderThumbnail(ctx.files.pathOf(media.contentHash), type, key, {
    animated: key.animated,
    maxSourcePixels: ctx.settings.maxThumbnailSourcePixels,
  });
  let thumb: StoredThumbnail;
  if (out.kind === 'original') {
    thumb = { ...key, contentType: type, contentHash: media.contentHash, size: media.size ?? 0 };
  } else {
    const file = await ctx.files.putBuffer(out.bytes);
    thumb = { ...key, contentType: out.contentType, contentHash: file.hash, size: file.size };
  }
  await ctx.storage.addThumbnail(thumb);
  return thumb;
}

/**
 * Renders the configured sizes of a new upload in the background, one at a time (a burst of
 * uploads must not take every libvips thread from the requests).
 */
export function pregenerateThumbnails(ctx: MediaContext, origin: string, mediaId: string): void {
  const job = (async () => {
    const media = await ctx.storage.getMedia(origin, mediaId);
    if (!media || media.contentHash === null || !THUMBNAILABLE_TYPES.has(baseType(media.contentType))) return;
    for (const size of ctx.settings.thumbnailSizes) {
      await thumbnailFor(ctx, media as AvailableMedia, { ...size, animated: false });
    }
  })().catch((err: unknown) => {
    ctx.logger.debug({ err, origin, mediaId }, 'thumbnails not made at upload');
  });
  ctx.background.add(job);
  void job.finally(() => ctx.background.delete(job));
}

/** `image/png; charset=x` → `image/png`. */
export function baseType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
