/** `queryMedia`: a media's metadata for admin tools. */
import type { MediaInfo, MediaRef, QueryMediaResponse } from '../api.js';
import type { StoredMedia } from '../storage/index.js';
import type { MediaContext } from './media-context.js';

export async function queryMedia(ctx: MediaContext, req: MediaRef): Promise<QueryMediaResponse> {
  const m = await ctx.storage.getMedia(req.origin, req.mediaId);
  return { media: m ? toMediaInfo(m) : null };
}

/** The API view of a stored media. */
export function toMediaInfo(m: StoredMedia): MediaInfo {
  return {
    origin: m.origin,
    mediaId: m.mediaId,
    contentUri: `mxc://${m.origin}/${m.mediaId}`,
    contentType: m.contentType,
    uploadName: m.uploadName,
    size: m.size,
    userId: m.userId,
    createdTs: m.createdTs,
    quarantined: m.quarantined,
    uploaded: m.contentHash !== null,
  };
}
