/** `performMediaDelete`: removes a media's rows, then the files no other row shares. */
import type { MediaRef, PerformMediaDeleteResponse } from '../api.js';
import type { MediaContext } from './media-context.js';

export async function performMediaDelete(ctx: MediaContext, req: MediaRef): Promise<PerformMediaDeleteResponse> {
  const unused = await ctx.storage.deleteMedia(req.origin, req.mediaId);
  if (unused === undefined) return { deleted: false };
  // Rows first, files after: a crash in between leaves an orphan file, never a row without bytes.
  await Promise.all(unused.map((h) => ctx.files.remove(h)));
  return { deleted: true };
}
