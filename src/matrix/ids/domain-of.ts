/**
 * The server-name part of an identifier, as the auth rules and federation compare it (sender vs
 * room ID, `m.room.aliases` state key, v1–v2 event IDs, joined servers). Full validation lives
 * in the other files of this folder.
 */

/**
 * The part after the first `:` of a `@user:server`, `!room:server` or `$event:server` identifier,
 * or `undefined` when there is none. Server names may contain `:` (a port, an IPv6 literal), so the
 * split is at the first colon: localparts never contain one.
 */
export function domainOf(id: string): string | undefined {
  const i = id.indexOf(':');
  return i < 0 ? undefined : id.slice(i + 1);
}
