/**
 * Turns a URL's host into the addresses we may connect to, applying the network guard before
 * any socket exists. A host name is refused as a whole when *any* of its addresses is denied
 * (as Synapse does): a name that mixes a public and a private address is an attack, not a
 * misconfiguration, and picking "the good one" would still leak that the private one exists.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { NetworkGuard } from './network-guard.js';
import { OutboundAddressError } from './outbound-address-error.js';

/** Every address of a host name (IPv4 or IPv6 text); an empty list means none. */
export type HostResolver = (hostname: string) => Promise<readonly string[]>;

/** The system resolver (hosts file and DNS), every address of both families. */
export const systemHostResolver: HostResolver = async (hostname) => {
  try {
    const found = await lookup(hostname, { all: true, verbatim: true });
    return found.map((a) => a.address);
  } catch {
    return [];
  }
};

/** The host of a URL without IPv6 brackets (`[::1]` → `::1`). */
export function bareHostname(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/**
 * The addresses of `url`'s host, all permitted by `guard`.
 * @throws OutboundAddressError `blocked_ip` for a denied IP literal, `blocked_name` when a name
 * resolves to any denied address, `dns` when it resolves to nothing.
 */
export async function resolveCheckedAddresses(url: URL, guard: NetworkGuard, resolve: HostResolver): Promise<readonly string[]> {
  const host = bareHostname(url);
  if (isIP(host) !== 0) {
    if (!guard.isAllowed(host)) throw new OutboundAddressError('blocked_ip', `${host} is in a denied network`);
    return [host];
  }
  const addresses = await resolve(host);
  if (addresses.length === 0) throw new OutboundAddressError('dns', `${host} has no addresses`);
  const denied = addresses.find((a) => !guard.isAllowed(a));
  if (denied !== undefined) throw new OutboundAddressError('blocked_name', `${host} resolves to ${denied}, in a denied network`);
  return addresses;
}
