/**
 * Character references in HTML text and attribute values. Numeric references are decoded in
 * full; named ones only for the common set seen in titles and descriptions (the full HTML table
 * has 2,231 names, nearly all irrelevant to a preview). Unknown names are left as written.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '\u00a9', reg: '\u00ae',
  trade: '\u2122', hellip: '\u2026', mdash: '\u2014', ndash: '\u2013', lsquo: '\u2018', rsquo: '\u2019',
  ldquo: '\u201c', rdquo: '\u201d', laquo: '\u00ab', raquo: '\u00bb', middot: '\u00b7', bull: '\u2022',
  euro: '\u20ac', pound: '\u00a3', yen: '\u00a5', cent: '\u00a2', deg: '\u00b0', times: '\u00d7',
  eacute: '\u00e9', egrave: '\u00e8', agrave: '\u00e0', aacute: '\u00e1', uuml: '\u00fc', ouml: '\u00f6',
  auml: '\u00e4', szlig: '\u00df', ccedil: '\u00e7', ntilde: '\u00f1',
};

const REFERENCE = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g;

function fromCodePoint(n: number): string {
  // NUL, surrogates and values past Unicode become U+FFFD, as the HTML spec says.
  if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(n);
}

/** `text` with its character references replaced by the characters they stand for. */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return fromCodePoint(parseInt(ref.slice(1), 10));
    return NAMED[ref] ?? NAMED[ref.toLowerCase()] ?? whole;
  });
}
