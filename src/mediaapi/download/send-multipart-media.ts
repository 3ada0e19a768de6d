/**
 * Writes a stored file as the `multipart/mixed` answer of the federation media endpoints. The
 * file is opened before the headers go out (a file deleted meanwhile is a clean 404) and the
 * open handle keeps it readable while it streams.
 */
import type { FastifyReply } from 'fastify';
import { RAW_REPLY_SENT, type RawReplySent } from '../../internal/httputil/route.js';
import { contentDisposition } from './content-disposition.js';
import { multipartMediaBody } from './multipart-media-body.js';
import { openStoredFile, type MediaToSend } from './send-media.js';

export async function sendMultipartMedia(reply: FastifyReply, m: MediaToSend): Promise<RawReplySent> {
  const handle = await openStoredFile(m.path);
  try {
    const { size } = await handle.stat();
    const content = handle.createReadStream({ autoClose: true });
    const body = multipartMediaBody(content, size, { 'Content-Type': m.contentType, 'Content-Disposition': contentDisposition(m.contentType, m.fileName) });
    void reply.headers({ 'content-type': body.contentType, 'content-length': String(body.length) });
    void reply.send(body.stream);
    return RAW_REPLY_SENT;
  } catch (e) {
    await handle.close();
    throw e;
  }
}
