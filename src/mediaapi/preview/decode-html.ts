/**
 * Bytes of an HTML document to text, with the encoding chosen in the HTML standard's order:
 * a byte-order mark, then the `charset` of the `Content-Type` header, then a `<meta charset>` or
 * `<meta http-equiv="Content-Type">` within the first 4 KiB, else UTF-8. An unknown label falls
 * back to UTF-8; undecodable bytes become U+FFFD rather than failing the preview.
 */
import { TextDecoder } from 'node:util';

/** How far into the document a `<meta>` declaring the encoding is looked for. */
const SNIFF_BYTES = 4096;

const META_CHARSET = /<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)/i;

/** The `charset` parameter of a `Content-Type` value. */
export function charsetOfContentType(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return m?.[1];
}

function bomEncoding(body: Uint8Array): { readonly label: string; readonly skip: number } | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { label: 'utf-8', skip: 3 };
  if (body[0] === 0xff && body[1] === 0xfe) return { label: 'utf-16le', skip: 2 };
  if (body[0] === 0xfe && body[1] === 0xff) return { label: 'utf-16be', skip: 2 };
  return undefined;
}

/**
 * windows-1252's characters for bytes 0x80–0x9F (U+FFFD where it has none). The HTML standard
 * decodes every Latin-1 label as windows-1252, but Node 20's decoder maps these 32 bytes to C1
 * controls, so they are fixed up here.
 */
const CP1252_HIGH = '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ';

function decode(label: string, body: Uint8Array): string | undefined {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    return undefined;
  }
  const text = decoder.decode(body);
  if (decoder.encoding !== 'windows-1252') return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

/** The text of `body`, decoded as its header, BOM or markup says (see the module comment). */
export function decodeHtml(body: Uint8Array, contentType: string | undefined): string {
  const bom = bomEncoding(body);
  if (bom) return new TextDecoder(bom.label).decode(body.subarray(bom.skip));
  // Latin-1 maps every byte to one character, so the ASCII markup of any ASCII-compatible
  // encoding can be searched before the real encoding is known.
  const head = Buffer.from(body.subarray(0, SNIFF_BYTES)).toString('latin1');
  const labels = [charsetOfContentType(contentType), META_CHARSET.exec(head)?.[1]];
  for (const label of labels) {
    const text = label === undefined ? undefined : decode(label, body);
    if (text !== undefined) return text;
  }
  return new TextDecoder('utf-8').decode(body);
}
