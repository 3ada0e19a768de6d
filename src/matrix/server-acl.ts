/**
 * Server ACLs (`m.room.server_acl`): whether a server may take part in a room, by the event's
 * rules (spec, event schema): no ACL allows everyone; an IP-literal name is denied when
 * `allow_ip_literals` is `false`; then a `deny` match denies, an `allow` match allows, and
 * anything else is denied. Patterns are case-insensitive globs (`*`, `?`, spec v1.19) matched
 * against the server name without its port. Receiving servers read the content leniently (a
 * missing or malformed field takes its default); {@link serverAclContentProblem} is the strict
 * check for ACLs our own users send.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { JsonObject, JsonValue } from './json.js';

/**
 * Whether `serverName` (with or without a port) may participate in a room whose current
 * `m.room.server_acl` content is `acl` (`undefined` when the room has none: allowed).
 */
export function isServerAllowedByAcl(serverName: string, acl: JsonObject | undefined): boolean {
  if (acl === undefined) return true;
  const host = hostOf(serverName).toLowerCase();
  if (acl.allow_ip_literals === false && isIpLiteral(host)) return false;
  if (patternsOf(acl.deny).some((p) => globMatches(p, host))) return false;
  return patternsOf(acl.allow).some((p) => globMatches(p, host));
}

/**
 * The first problem of an ACL's content as a local sender must write it (`allow` and `deny`
 * lists of strings, `allow_ip_literals` a boolean, all optional), naming the field; `undefined`
 * when well-formed.
 */
export function serverAclContentProblem(content: JsonObject): string | undefined {
  for (const field of ['allow', 'deny'] as const) {
    const v = content[field];
    if (v === undefined) continue;
    if (!Array.isArray(v)) return `content.${field} must be an array of strings`;
    const i = v.findIndex((p) => typeof p !== 'string');
    if (i >= 0) return `content.${field}[${i}] must be a string`;
  }
  if (content.allow_ip_literals !== undefined && typeof content.allow_ip_literals !== 'boolean') {
    return 'content.allow_ip_literals must be a boolean';
  }
  return undefined;
}

/**
 * Whether the case-insensitive glob `pattern` (`*` any run, `?` one character) matches the whole
 * of `value`, which must already be lower-case. Iterative with one backtrack point (the last
 * `*`), so it runs in O(pattern × value) whatever the pattern: ACL patterns come from rooms,
 * and a regular expression of many stars could backtrack exponentially.
 */
export function globMatches(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  let pi = 0;
  let vi = 0;
  let starAt = -1;
  let starValue = 0;
  while (vi < value.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === value[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      starAt = pi++;
      starValue = vi;
    } else if (starAt >= 0) {
      // Let the last star swallow one more character and retry from just after it.
      pi = starAt + 1;
      vi = ++starValue;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/** The server name without its port; a bracketed IPv6 literal keeps its brackets. */
export function hostOf(serverName: string): string {
  if (serverName.startsWith('[')) {
    const close = serverName.indexOf(']');
    return close < 0 ? serverName : serverName.slice(0, close + 1);
  }
  const colon = serverName.indexOf(':');
  // More than one colon: a bare IPv6 address (not a valid server name), kept whole.
  if (colon < 0 || serverName.indexOf(':', colon + 1) >= 0) return serverName;
  return serverName.slice(0, colon);
}

/** Whether a host (as {@link hostOf} returns it) is an IPv4 or IPv6 literal. */
export function isIpLiteral(host: string): boolean {
  if (host.startsWith('[') && host.endsWith(']')) return isIPv6(host.slice(1, -1));
  return isIPv4(host) || isIPv6(host);
}

/** The string entries of a list field; anything else counts as the empty list (spec default). */
function patternsOf(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string') : [];
}

