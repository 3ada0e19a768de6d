/** `POST /_matrix/media/v1/create`: reserves a media ID for an upload to come (async upload). */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { newMediaId } from './new-media-id.js';
import type { MediaContext } from './media-context.js';

export interface CreatedMedia {
  readonly contentUri: string;
  /** When the ID stops accepting its upload (ms since the epoch). */
  readonly unusedExpiresAt: number;
}

export async function createMedia(ctx: MediaContext, userId: string): Promise<CreatedMedia> {
  const now = ctx.now();
  const pending = await ctx.storage.countPendingUploads(userId, now);
  if (pending >= ctx.settings.maxPendingUploads) {
    throw MatrixError.limitExceeded(60_000, 'Too many pending uploads: upload to the media IDs you have first');
  }
  const mediaId = newMediaId();
  const unusedExpiresAt = now + ctx.settings.unusedExpiryMs;
  await ctx.storage.insertMedia({
    origin: ctx.serverName,
    mediaId,
    contentHash: null,
    contentType: null,
    uploadName: null,
    size: null,
    userId,
    createdTs: now,
    unusedExpiresTs: unusedExpiresAt,
    quarantined: false,
  });
  return { contentUri: `mxc://${ctx.serverName}/${mediaId}`, unusedExpiresAt };
}
