/**
 * Writes a stored file as a download: the safe headers every media response carries, and range
 * requests. The file is opened before the headers go out, so one deleted meanwhile is a clean
 * 404, and the open handle keeps the bytes readable even if it is unlinked while streaming.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { RAW_REPLY_SENT, type RawReplySent } from '../../internal/httputil/route.js';
import { contentDisposition } from './content-disposition.js';
import { parseRange } from './parse-range.js';

/** The spec's recommended policy plus `media-src 'self'` (what Synapse sends). */
export const MEDIA_CSP =
  "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';";

export interface MediaToSend {
  readonly path: string;
  readonly contentType: string;
  /** The name for `Content-Disposition` (the upload's, or the one in the download URL). */
  readonly fileName: string | null;
}

/** Headers of every media response, errors included (a JSON error must not be sniffed either). */
export function mediaSecurityHeaders(): Record<string, string> {
  return {
    'content-security-policy': MEDIA_CSP,
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'cross-origin',
  };
}

/** Opens a stored file for serving; one deleted meanwhile is a clean M_NOT_FOUND. */
export function openStoredFile(path: string): Promise<FileHandle> {
  return open(path, 'r').catch(() => {
    throw MatrixError.notFound('Media not found');
  });
}

export async function sendMedia(request: FastifyRequest, reply: FastifyReply, m: MediaToSend): Promise<RawReplySent> {
  const handle = await openStoredFile(m.path);
  let streaming = false;
  try {
    const { size } = await handle.stat();
    void reply.headers({
      ...mediaSecurityHeaders(),
      'content-type': m.contentType,
      'content-disposition': contentDisposition(m.contentType, m.fileName),
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=86400',
    });
    const range = parseRange(request.headers.range, size);
    if (range === 'unsatisfiable') {
      void reply.code(416).header('content-range', `bytes */${size}`).header('content-length', '0').send('');
      return RAW_REPLY_SENT;
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    if (range) void reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
    void reply.header('content-length', String(Math.max(0, end - start + 1)));
    if (size === 0) {
      void reply.send(Buffer.alloc(0));
      return RAW_REPLY_SENT;
    }
    const stream = handle.createReadStream({ start, end, autoClose: true });
    streaming = true;
    void reply.send(stream);
    return RAW_REPLY_SENT;
  } finally {
    if (!streaming) await handle.close();
  }
}
