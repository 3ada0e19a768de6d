/**
 * Finds the media a download or thumbnail is for: remote media through the remote seam, local
 * media from storage, waiting up to `timeoutMs` for an async upload still to come.
 * Quarantined media is "not found", like media that never existed.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { fetchRemoteMedia } from '../remote/remote-media.js';
import type { StoredMedia } from '../storage/index.js';
import type { MediaContext } from './media-context.js';
import { mediaKey } from './upload-waiters.js';

/** A media whose bytes are stored. */
export type AvailableMedia = StoredMedia & { readonly contentHash: string };

/** Longest wait for an upload, whatever the client asks (the spec lets servers cap it). */
export const MAX_UPLOAD_WAIT_MS = 60_000;
/** The spec's default `timeout_ms`. */
export const DEFAULT_UPLOAD_WAIT_MS = 20_000;
/** How often a waiting download looks at storage, for uploads that reached another instance. */
const POLL_MS = 1_000;

export async function loadMedia(ctx: MediaContext, serverName: string, mediaId: string, timeoutMs = DEFAULT_UPLOAD_WAIT_MS): Promise<AvailableMedia> {
  const wait = Math.min(Math.max(0, timeoutMs), MAX_UPLOAD_WAIT_MS);
  const media = serverName === ctx.serverName ? await awaitLocal(ctx, serverName, mediaId, wait) : await fetchRemoteMedia(ctx, { serverName, mediaId, timeoutMs: wait });
  if (media.quarantined || media.contentHash === null) throw MatrixError.notFound('Media not found');
  return media as AvailableMedia;
}

async function awaitLocal(ctx: MediaContext, origin: string, mediaId: string, waitMs: number): Promise<StoredMedia> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const m = await ctx.storage.getMedia(origin, mediaId);
    if (!m) throw MatrixError.notFound('Media not found');
    if (m.contentHash !== null) return m;
    if (m.unusedExpiresTs !== null && m.unusedExpiresTs <= ctx.now()) throw MatrixError.notFound('Media not found');
    const left = deadline - Date.now();
    if (left <= 0) throw MatrixError.notYetUploaded();
    await ctx.waiters.wait(mediaKey(origin, mediaId), Math.min(left, POLL_MS));
  }
}
