/**
 * Server names (spec appendix "Server Name"): a DNS name, an IPv4 literal or a bracketed IPv6
 * literal, with an optional port. Server names are compared case-sensitively, so nothing is
 * normalised here.
 */
import { isIPv6 } from 'node:net';
import { invalid, ok, type IdResult } from './id-result.js';

/** A parsed server name. */
export interface ServerNameParts {
  /** The host as written, without brackets for IPv6 (`::1`, not `[::1]`). */
  readonly host: string;
  readonly hostKind: 'dns' | 'ipv4' | 'ipv6';
  /** The explicit port, if any. */
  readonly port: number | undefined;
}

const PORT = /^[0-9]{1,5}$/;
const IPV4 = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]{2,45}$/;
/** Labels of letters, digits and hyphens separated by single dots (RFC 1123 host names). */
const DNS_NAME = /^[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*$/;
const MAX_DNS_NAME = 255;

function parsePort(s: string | undefined): IdResult<number | undefined> {
  if (s === undefined) return ok(undefined);
  if (!PORT.test(s)) return invalid(`port "${s}" is not 1–5 digits`);
  const n = Number(s);
  return n > 65535 ? invalid(`port ${n} is out of range`) : ok(n);
}

function parseHost(host: string): IdResult<Omit<ServerNameParts, 'port'>> {
  const quad = IPV4.exec(host);
  if (quad) {
    // Four dotted numbers are an IPv4 literal, never a DNS name, so each must be 0–255.
    if (quad.slice(1).some((n) => Number(n) > 255)) return invalid(`"${host}" is not a valid IPv4 address`);
    return ok({ host, hostKind: 'ipv4' });
  }
  if (host.length === 0) return invalid('the host is empty');
  if (host.length > MAX_DNS_NAME) return invalid(`the host is longer than ${MAX_DNS_NAME} characters`);
  if (!DNS_NAME.test(host)) return invalid(`"${host}" is not a valid DNS name`);
  return ok({ host, hostKind: 'dns' });
}

/** Parses a server name such as `matrix.org:8448`, `1.2.3.4` or `[1234:5678::abcd]:5678`. */
export function parseServerName(name: string): IdResult<ServerNameParts> {
  if (name.startsWith('[')) {
    const close = name.indexOf(']');
    if (close < 0) return invalid('unterminated IPv6 literal');
    const host = name.slice(1, close);
    if (!IPV6_CHARS.test(host) || !isIPv6(host)) return invalid(`"${host}" is not a valid IPv6 address`);
    const rest = name.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return invalid('unexpected characters after the IPv6 literal');
    const port = parsePort(rest === '' ? undefined : rest.slice(1));
    return port.ok ? ok({ host, hostKind: 'ipv6', port: port.value }) : port;
  }
  const colon = name.indexOf(':');
  const hostPart = colon < 0 ? name : name.slice(0, colon);
  const port = parsePort(colon < 0 ? undefined : name.slice(colon + 1));
  if (!port.ok) return port;
  const host = parseHost(hostPart);
  return host.ok ? ok({ ...host.value, port: port.value }) : host;
}

/** Whether `name` is a valid server name. */
export function isValidServerName(name: string): boolean {
  return parseServerName(name).ok;
}
