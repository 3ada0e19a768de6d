/**
 * The result of parsing an identifier: its parts, or why it is not valid. Identifiers arrive
 * from clients and other servers all the time, so a bad one is an expected outcome, not an
 * exception; callers turn `reason` into the `MatrixError` that fits their endpoint.
 */
export type IdResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** A successful result. */
export function ok<T>(value: T): IdResult<T> {
  return { ok: true, value };
}

/** A failed result. */
export function invalid<T = never>(reason: string): IdResult<T> {
  return { ok: false, reason };
}

/** The spec's limit for user IDs, room IDs, aliases, event IDs, state keys and types. */
export const MAX_ID_BYTES = 255;

/** UTF-8 length, which is what the spec's byte limits count. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** In `u` mode a surrogate pair is one code point, so this only matches unpaired surrogates. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why `s` is not an opaque localpart ("any valid non-surrogate code point except `:` and NUL"),
 * or `undefined` if it is one.
 */
export function opaqueLocalpartFault(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains NUL';
  if (s.includes(':')) return 'contains ":"';
  if (LONE_SURROGATE.test(s)) return 'contains a lone surrogate';
  return undefined;
}
