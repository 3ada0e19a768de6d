/**
 * The `Content-Disposition` of a download: `inline` only for the types the spec lists as safe to
 * render (content_repo "Serving inline content"), `attachment` for everything else (HTML, SVG,
 * PDF …), with the file name sanitised and encoded per RFC 6266 / RFC 8187.
 */

/** The spec's list of types that may be served inline. */
export const INLINE_TYPES: ReadonlySet<string> = new Set([
  'text/css',
  'text/plain',
  'text/csv',
  'application/json',
  'application/ld+json',
  'image/jpeg',
  'image/gif',
  'image/png',
  'image/apng',
  'image/webp',
  'image/avif',
  'video/mp4',
  'video/webm',
  'video/ogg',
  'video/quicktime',
  'audio/mp4',
  'audio/webm',
  'audio/aac',
  'audio/mpeg',
  'audio/ogg',
  'audio/wave',
  'audio/wav',
  'audio/x-wav',
  'audio/x-pn-wav',
  'audio/flac',
  'audio/x-flac',
]);

/** Characters allowed verbatim in a quoted ASCII `filename=`. */
const PLAIN_NAME = /^[A-Za-z0-9 !#$&+.^_`|~()\-,;=@[\]{}]+$/;

/** The header value for a media of `contentType` named `fileName` (if any). */
export function contentDisposition(contentType: string, fileName: string | null | undefined): string {
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const kind = INLINE_TYPES.has(base) ? 'inline' : 'attachment';
  const name = sanitiseFileName(fileName);
  if (name === '') return kind;
  if (PLAIN_NAME.test(name)) return `${kind}; filename="${name}"`;
  return `${kind}; filename*=utf-8''${encodeRfc8187(name)}`;
}

/**
 * A file name safe to hand to a browser: no path (a name is not a place to save to), no control
 * characters, no quotes or backslashes, at most 255 characters.
 */
export function sanitiseFileName(fileName: string | null | undefined): string {
  if (!fileName) return '';
  const last = fileName.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const cleaned = last.replace(/[\u0000-\u001f\u007f-\u009f"]/g, '').trim();
  return [...cleaned].slice(0, 255).join('');
}

/** RFC 8187 `value-chars`: attr-char stays, everything else is percent-encoded UTF-8. */
function encodeRfc8187(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
