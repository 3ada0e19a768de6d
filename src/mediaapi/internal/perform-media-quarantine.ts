/** `performMediaQuarantine`: hides (or shows again) a media and its thumbnails. */
import type { PerformMediaQuarantineRequest, PerformMediaQuarantineResponse } from '../api.js';
import type { MediaContext } from './media-context.js';

export async function performMediaQuarantine(ctx: MediaContext, req: PerformMediaQuarantineRequest): Promise<PerformMediaQuarantineResponse> {
  return { found: await ctx.storage.setQuarantined(req.origin, req.mediaId, req.quarantined) };
}
