/**
 * The outbound network policy (DESIGN §9): an address in `deny_networks` is never connected to
 * unless it is also in `allow_networks`. Every address is compared as 16 bytes, IPv4 as its
 * IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so `127.0.0.0/8` also catches `::ffff:127.0.0.1` and a
 * rule written as `::ffff:0:0/96` covers every IPv4 address: a remote server cannot slip past the
 * list by spelling a loopback address the other way.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** A parsed CIDR block in the 128-bit address space. */
export interface Cidr {
  /** The network address, 16 bytes (IPv4 mapped into `::ffff:0:0/96`). */
  readonly bytes: Uint8Array;
  /** Prefix length in bits over the 16 bytes (an IPv4 `/8` is `/104` here). */
  readonly prefix: number;
}

/** The policy applied to each address before a connection is opened. */
export interface NetworkGuard {
  /** Whether a connection to `ip` (IPv4 or IPv6 text, optionally with a `%zone`) is permitted. */
  isAllowed(ip: string): boolean;
}

const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function ipv4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function ipv6Bytes(ip: string): number[] {
  let text = ip;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  // An embedded dotted quad (`::ffff:1.2.3.4`) stands for the last two groups.
  if (text.slice(lastColon + 1).includes('.')) {
    tail = ipv4Bytes(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...restGroups].map((g) => parseInt(g, 16));
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * The 16-byte form of an IP address, or `undefined` if `ip` is not an IP address.
 * IPv4 becomes its IPv4-mapped IPv6 form; a `%zone` suffix is ignored.
 */
export function ipToBytes(ip: string): Uint8Array | undefined {
  const bare = ip.includes('%') ? ip.slice(0, ip.indexOf('%')) : ip;
  if (isIPv4(bare)) return Uint8Array.from([...MAPPED_PREFIX, ...ipv4Bytes(bare)]);
  if (isIPv6(bare)) return Uint8Array.from(ipv6Bytes(bare));
  return undefined;
}

/**
 * Parses `10.0.0.0/8` or `fc00::/7`.
 * @throws Error naming the CIDR if it is not an address and a prefix in range for its family.
 */
export function parseCidr(cidr: string): Cidr {
  const slash = cidr.indexOf('/');
  const addr = slash < 0 ? cidr : cidr.slice(0, slash);
  const bytes = ipToBytes(addr);
  const max = isIPv4(addr) ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : cidr.slice(slash + 1);
  const bits = Number(prefixText);
  if (!bytes || !/^\d{1,3}$/.test(prefixText) || bits > max) {
    throw new Error(`"${cidr}" is not a CIDR such as 10.0.0.0/8 or fc00::/7`);
  }
  return { bytes, prefix: bits + (128 - max) };
}

/** Whether the 16-byte address `addr` lies inside `cidr`. */
export function cidrContains(cidr: Cidr, addr: Uint8Array): boolean {
  let bits = cidr.prefix;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((cidr.bytes[i] ?? 0) & mask) !== ((addr[i] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * Builds the guard from the config's lists. An address that is not an IP at all is refused:
 * the guard only ever sees addresses already resolved, so anything else is a bug upstream.
 * @throws Error if a CIDR in either list is malformed.
 */
export function createNetworkGuard(opts: {
  readonly allowNetworks: readonly string[];
  readonly denyNetworks: readonly string[];
}): NetworkGuard {
  const allow = opts.allowNetworks.map(parseCidr);
  const deny = opts.denyNetworks.map(parseCidr);
  return {
    isAllowed(ip: string): boolean {
      const addr = ipToBytes(ip);
      if (!addr) return false;
      if (allow.some((c) => cidrContains(c, addr))) return true;
      return !deny.some((c) => cidrContains(c, addr));
    },
  };
}
