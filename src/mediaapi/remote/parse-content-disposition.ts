/**
 * The file name in a remote server's `Content-Disposition` (RFC 6266): `filename*` (RFC 8187,
 * UTF-8 percent-encoded) wins over `filename`. Only the name is kept; whether we serve the media
 * inline is decided again by our own safe-type list when we serve it.
 */

/** The file name, or null when there is none or it cannot be decoded. */
export function fileNameFromDisposition(header: string | undefined): string | null {
  if (header === undefined) return null;
  let plain: string | null = null;
  let extended: string | null = null;
  for (const m of header.matchAll(/;\s*(filename\*?)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/gi)) {
    const key = (m[1] ?? '').toLowerCase();
    const raw = (m[2] ?? '').trim();
    if (key === 'filename*') {
      const ext = /^utf-8'[^']*'(.*)$/i.exec(raw);
      if (ext) {
        try {
          extended = decodeURIComponent(ext[1] ?? '');
        } catch {
          // A malformed encoding: fall back to the plain name.
        }
      }
    } else {
      plain = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    }
  }
  const name = extended ?? plain;
  return name === null || name === '' ? null : name;
}
