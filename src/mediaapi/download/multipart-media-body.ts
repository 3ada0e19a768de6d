/**
 * The `multipart/mixed` body the federation media endpoints answer with (spec v1.11): a JSON
 * metadata part (`{}`: the spec defines no fields yet) and the media part with its type and
 * disposition. The file streams between a fixed head and tail, so the length is known up front.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export interface MultipartMediaBody {
  /** `multipart/mixed; boundary=…`. */
  readonly contentType: string;
  readonly length: number;
  readonly stream: Readable;
}

/** Wraps `content` (exactly `size` bytes) as the two-part document. */
export function multipartMediaBody(content: Readable, size: number, partHeaders: Readonly<Record<string, string>>): MultipartMediaBody {
  const boundary = randomBytes(16).toString('hex');
  const lines = Object.entries(partHeaders).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const head = Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n{}\r\n--${boundary}\r\n${lines}\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of content) yield chunk as Buffer;
    yield tail;
  }
  return { contentType: `multipart/mixed; boundary=${boundary}`, length: head.length + size + tail.length, stream: Readable.from(parts(), { objectMode: false }) };
}
