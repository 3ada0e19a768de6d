/**
 * Parses the `multipart/mixed` answer of the federation media endpoints (spec v1.11): exactly two
 * parts, JSON metadata then the media (its bytes, or a `Location` header to fetch them from).
 * The metadata part is small and read whole; the media part is handed out as a stream, so a
 * large file flows to disk without being held in memory.
 */
import { createByteReader, type ByteReader } from './byte-reader.js';

/** The second part: its headers (names in lower case) and its body, to be read once. */
export interface MultipartMedia {
  readonly metadata: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AsyncIterable<Buffer>;
}

const CRLF = Buffer.from('\r\n');
/** Limits for the parts we buffer: headers and the JSON metadata. */
const MAX_PREAMBLE = 4096;
const MAX_HEADER_LINE = 8192;
const MAX_HEADERS = 64;
const MAX_METADATA = 64 * 1024;

/** The boundary of a `multipart/mixed` Content-Type; undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [type, ...params] = contentType.split(';');
  if (type?.trim().toLowerCase() !== 'multipart/mixed') return undefined;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0 || p.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    const value = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    // RFC 2046: 1–70 characters.
    return value.length >= 1 && value.length <= 70 ? value : undefined;
  }
  return undefined;
}

/**
 * Reads the metadata part and the second part's headers of `body`; the returned `body` streams
 * the second part's bytes and throws if the closing delimiter never comes (a cut-off download).
 * @throws Error when the body is not the two-part document the spec describes.
 */
export async function readMultipartMedia(body: AsyncIterable<Buffer>, boundary: string): Promise<MultipartMedia> {
  const reader = createByteReader(body);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may open the body, without the CRLF every later one has.
  await reader.readUntil(Buffer.from(`--${boundary}`), MAX_PREAMBLE);
  await expectPartStart(reader);
  const metaHeaders = await readHeaders(reader);
  const metaType = (metaHeaders['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (metaType !== 'application/json') throw new Error(`the first part is ${metaType || 'untyped'}, not application/json`);
  const metadata: unknown = JSON.parse((await reader.readUntil(delimiter, MAX_METADATA)).toString('utf8'));
  await expectPartStart(reader);
  const headers = await readHeaders(reader);
  return { metadata, headers, body: reader.streamUntil(delimiter) };
}

/** After a delimiter: `--` would close the document; a part needs the rest of the line (padding). */
async function expectPartStart(reader: ByteReader): Promise<void> {
  const rest = (await reader.readUntil(CRLF, MAX_HEADER_LINE)).toString('latin1');
  if (rest.startsWith('--')) throw new Error('the multipart body has fewer than two parts');
  if (rest.trim() !== '') throw new Error('unexpected text after a multipart delimiter');
}

async function readHeaders(reader: ByteReader): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (let n = 0; ; n++) {
    if (n > MAX_HEADERS) throw new Error('too many part headers');
    const line = (await reader.readUntil(CRLF, MAX_HEADER_LINE)).toString('latin1');
    if (line === '') return headers;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error('malformed part header');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
}
