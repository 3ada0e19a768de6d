/**
 * Uploads: `POST /upload` stores the body and records a new media; the async `PUT` fills one made
 * by `/create`. The body is streamed to disk with the size limit applied on the way, and
 * thumbnails of the configured sizes are made in the background afterwards.
 */
import type { Readable } from 'node:stream';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { newMediaId } from './new-media-id.js';
import type { MediaContext } from './media-context.js';
import { mediaKey } from './upload-waiters.js';
import { pregenerateThumbnails } from './thumbnail-for.js';

/** The bytes of an upload and what the client said about them. */
export interface UploadBody {
  readonly userId: string;
  readonly body: Readable;
  /** From `Content-Type`; `application/octet-stream` when missing. */
  readonly contentType: string | undefined;
  /** From `?filename=`. */
  readonly uploadName: string | undefined;
  /** From `Content-Length`, when given: lets a too-large body be refused before reading it. */
  readonly contentLength: number | undefined;
}

/** Stores a new upload; its `mxc://` URI. */
export async function uploadMedia(ctx: MediaContext, up: UploadBody): Promise<string> {
  const { hash, size } = await storeBody(ctx, up);
  const mediaId = newMediaId();
  const contentType = normaliseContentType(up.contentType);
  await ctx.storage.insertMedia({
    origin: ctx.serverName,
    mediaId,
    contentHash: hash,
    contentType,
    uploadName: up.uploadName ?? null,
    size,
    userId: up.userId,
    createdTs: ctx.now(),
    unusedExpiresTs: null,
    quarantined: false,
  });
  pregenerateThumbnails(ctx, ctx.serverName, mediaId);
  return `mxc://${ctx.serverName}/${mediaId}`;
}

/** Fills a media ID from `/create`: by its creator, once, before it expires. */
export async function completeAsyncUpload(ctx: MediaContext, serverName: string, mediaId: string, up: UploadBody): Promise<void> {
  // Refuse before reading the body where the answer is already known.
  const row = serverName === ctx.serverName ? await ctx.storage.getMedia(serverName, mediaId) : undefined;
  if (!row || (row.contentHash === null && row.unusedExpiresTs !== null && row.unusedExpiresTs <= ctx.now())) {
    throw MatrixError.notFound('Unknown media ID');
  }
  if (row.userId !== up.userId) throw MatrixError.forbidden('You did not create this media ID');
  if (row.contentHash !== null) throw MatrixError.cannotOverwriteMedia();
  const { hash, size } = await storeBody(ctx, up);
  const outcome = await ctx.storage.completeUpload(serverName, mediaId, up.userId, {
    contentHash: hash,
    contentType: normaliseContentType(up.contentType),
    uploadName: up.uploadName ?? null,
    size,
  }, ctx.now());
  switch (outcome) {
    case 'completed':
      ctx.waiters.notify(mediaKey(serverName, mediaId));
      pregenerateThumbnails(ctx, serverName, mediaId);
      return;
    case 'already-uploaded':
      throw MatrixError.cannotOverwriteMedia();
    case 'forbidden':
      throw MatrixError.forbidden('You did not create this media ID');
    case 'not-found':
      throw MatrixError.notFound('Unknown media ID');
  }
}

async function storeBody(ctx: MediaContext, up: UploadBody): Promise<{ hash: string; size: number }> {
  const max = ctx.settings.maxUploadBytes;
  if (up.contentLength !== undefined && up.contentLength > max) {
    throw MatrixError.tooLarge(`Upload exceeds the limit of ${max} bytes`);
  }
  return ctx.files.put(up.body, max);
}

/** The media type without parameters' noise: lower-cased type/subtype, parameters kept. */
export function normaliseContentType(header: string | undefined): string {
  const t = (header ?? '').trim();
  if (t === '') return 'application/octet-stream';
  const [main = '', ...params] = t.split(';');
  const rest = params.map((p) => p.trim()).filter((p) => p !== '');
  return [main.trim().toLowerCase(), ...rest].join('; ');
}
