/**
 * Parsing `Authorization: X-Matrix …` headers (spec, server-server "Request Authentication";
 * RFC 9110 §11.4): the scheme, one or more spaces, then comma-separated `name=value` parameters
 * with optional spaces/tabs around commas and `=`, names case-insensitive, values a token or a
 * quoted-string whose backslash pairs are unescaped.
 *
 * Unquoted values are read leniently: the spec asks recipients to accept colons in them (older
 * servers send `origin=example.org:8448` bare), and unpadded base64 signatures hold `/` and `+`,
 * which are not token characters either; so a bare value is any run of visible characters other
 * than `,` and `"`. Anything ambiguous is refused instead: a parameter given twice, a quote left
 * open, control characters, text after a closing quote.
 */

/** The parameters of one X-Matrix header. */
export interface XMatrixAuth {
  /** The sending server's name, as written (validated by the caller). */
  readonly origin: string;
  /** The receiving server's name (spec v1.3); `undefined` when the sender left it out. */
  readonly destination: string | undefined;
  /** The signing key's ID with its algorithm, e.g. `ed25519:key1`. */
  readonly key: string;
  /** The unpadded base64 signature. */
  readonly sig: string;
}

/** One header's parameters, or why it is not a valid X-Matrix header. */
export type XMatrixParseResult = { readonly ok: true; readonly value: XMatrixAuth } | { readonly ok: false; readonly reason: string };

const SCHEME = 'x-matrix';
/** RFC 9110 `tchar`, for parameter names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII except `"` and `,`: a bare value (see the file comment for why not `token`). */
const BARE_VALUE_CHAR = /[!#-+\--~]/;
/** `qdtext` and the escaped character of a `quoted-pair`: tab, space, visible ASCII, obs-text. */
const QUOTED_CHAR = /[\t\x20-\x7e\x80-\xff]/;
/** Whitespace allowed around commas and `=` (RFC 9110 OWS/BWS). */
const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * Whether a header value uses the X-Matrix scheme (case-insensitive, as auth-schemes are), so
 * that other schemes (a stray `Bearer`) can be skipped rather than reported as malformed.
 */
export function isXMatrixHeader(header: string): boolean {
  const h = header.trimStart();
  return h.slice(0, SCHEME.length).toLowerCase() === SCHEME && (h.length === SCHEME.length || isWs(h[SCHEME.length]));
}

/** Parses one `Authorization` header value. `origin`, `key` and `sig` are required. */
export function parseXMatrixHeader(header: string): XMatrixParseResult {
  if (!isXMatrixHeader(header)) return fail('the authorization scheme is not X-Matrix');
  const params = parseParams(header.trimStart().slice(SCHEME.length));
  if (!params.ok) return params;
  const p = params.value;
  const origin = p.get('origin');
  const key = p.get('key');
  // The spec's example and every implementation send `sig`; its parameter list calls it `signature`.
  const sig = p.get('sig') ?? p.get('signature');
  if (p.has('sig') && p.has('signature')) return fail('both "sig" and "signature" are given');
  if (origin === undefined) return fail('the "origin" parameter is missing');
  if (key === undefined) return fail('the "key" parameter is missing');
  if (sig === undefined) return fail('the "sig" parameter is missing');
  for (const [name, value] of [['origin', origin], ['key', key], ['sig', sig]]) {
    if (value === '') return fail(`the "${name}" parameter is empty`);
  }
  return { ok: true, value: { origin, destination: p.get('destination'), key, sig } };
}

/**
 * Parses every X-Matrix header among `headers` (other schemes are skipped), in order. A sender
 * with several keys may send one header per key; the caller accepts the request if any verifies.
 */
export function parseXMatrixHeaders(headers: readonly string[]): XMatrixParseResult[] {
  return headers.filter(isXMatrixHeader).map(parseXMatrixHeader);
}

type Params = { ok: true; value: Map<string, string> } | { ok: false; reason: string };

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** Reads the parameter list after the scheme: `s` starts just after `X-Matrix`. */
function parseParams(s: string): Params {
  const params = new Map<string, string>();
  if (s.length > 0 && !isWs(s[0])) return fail('expected a space after X-Matrix');
  let i = 0;
  for (;;) {
    // Empty list elements (`a=b,,c=d`) are allowed by RFC 9110's list syntax.
    while (i < s.length && (isWs(s[i]) || s[i] === ',')) i++;
    if (i >= s.length) break;
    const eq = s.indexOf('=', i);
    if (eq < 0) return fail(`expected name=value at "${excerpt(s, i)}"`);
    const name = s.slice(i, eq).replace(/[ \t]+$/, '');
    if (!TOKEN.test(name)) return fail(`invalid parameter name "${excerpt(name, 0)}"`);
    i = eq + 1;
    while (isWs(s[i])) i++;
    const value = s[i] === '"' ? readQuoted(s, i) : readBare(s, i);
    if (!value.ok) return value;
    i = value.end;
    while (isWs(s[i])) i++;
    if (i < s.length && s[i] !== ',') return fail(`expected "," after the "${name}" parameter`);
    const lower = name.toLowerCase();
    if (params.has(lower)) return fail(`the "${lower}" parameter is given more than once`);
    params.set(lower, value.text);
  }
  return { ok: true, value: params };
}

type Read = { ok: true; text: string; end: number } | { ok: false; reason: string };

function readBare(s: string, start: number): Read {
  let i = start;
  while (i < s.length && BARE_VALUE_CHAR.test(s[i]!)) i++;
  if (i < s.length && !isWs(s[i]) && s[i] !== ',') return fail(`invalid character in a value at "${excerpt(s, i)}"`);
  return { ok: true, text: s.slice(start, i), end: i };
}

/** Reads a quoted-string starting at the opening quote, unescaping backslash pairs. */
function readQuoted(s: string, start: number): Read {
  let text = '';
  let i = start + 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') return { ok: true, text, end: i + 1 };
    if (c === '\\') {
      const next = s[i + 1];
      if (next === undefined) break;
      if (!QUOTED_CHAR.test(next)) return fail('invalid escaped character in a quoted value');
      text += next;
      i += 2;
      continue;
    }
    if (!QUOTED_CHAR.test(c)) return fail('invalid character in a quoted value');
    text += c;
    i++;
  }
  return fail('unterminated quoted value');
}

/** A short, printable piece of the header for error messages (never the whole header). */
function excerpt(s: string, at: number): string {
  // eslint-disable-next-line no-control-regex -- control characters must not reach messages
  return s.slice(at, at + 20).replace(/[\u0000-\u001f\u007f-\uffff]/g, '?');
}
