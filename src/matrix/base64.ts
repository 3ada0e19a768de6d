/**
 * Unpadded base64 (spec appendix "Unpadded Base64"), standard and URL-safe alphabets.
 * Decoding accepts input with or without `=` padding, as the spec asks, but rejects anything
 * else that is not base64 — Node's own decoder silently skips bad characters, which would let
 * two different strings name the same key or signature.
 */
import { MatrixError } from '../internal/errors/matrix-error.js';

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function stripPadding(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Standard-alphabet base64 without padding, e.g. `"foob"` → `"Zm9vYg"`. */
export function encodeBase64(bytes: Uint8Array): string {
  return stripPadding(toBuffer(bytes).toString('base64'));
}

/** URL-safe base64 (`-`, `_`) without padding, as used by v4+ event IDs. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return toBuffer(bytes).toString('base64url');
}

/**
 * Why `s` is not valid base64 in the given alphabet (`undefined` when it is). Padding, when
 * present, must make the length a multiple of 4; without it, a length ≡ 1 (mod 4) is impossible.
 */
function base64Fault(s: string, alphabet: RegExp): string | undefined {
  if (!alphabet.test(s)) return 'contains characters outside the base64 alphabet';
  const body = stripPadding(s);
  const padding = s.length - body.length;
  if (body.length % 4 === 1) return 'has an impossible length';
  if (padding > 0 && s.length % 4 !== 0) return 'is wrongly padded';
  return undefined;
}

function decodeWith(s: string, alphabet: RegExp, encoding: 'base64' | 'base64url'): Buffer {
  const fault = base64Fault(s, alphabet);
  if (fault) throw MatrixError.badJson(`Invalid base64: ${fault}`);
  return Buffer.from(stripPadding(s), encoding);
}

/**
 * Decodes standard-alphabet base64, padded or not.
 * @throws MatrixError `M_BAD_JSON` if `s` is not base64.
 */
export function decodeBase64(s: string): Buffer {
  return decodeWith(s, STANDARD, 'base64');
}

/**
 * Decodes URL-safe base64, padded or not.
 * @throws MatrixError `M_BAD_JSON` if `s` is not URL-safe base64.
 */
export function decodeBase64Url(s: string): Buffer {
  return decodeWith(s, URL_SAFE, 'base64url');
}

/** Decodes standard base64, or returns `undefined` instead of throwing (for hot verify paths). */
export function tryDecodeBase64(s: string): Buffer | undefined {
  return base64Fault(s, STANDARD) === undefined ? Buffer.from(stripPadding(s), 'base64') : undefined;
}
