/**
 * DNS for server discovery, through an injectable resolver (a `dns.promises.Resolver`, which
 * talks DNS directly and never consults the hosts file), so tests can point it at their own DNS
 * server and the guard sees exactly the addresses that will be connected to.
 */
import { isIP } from 'node:net';
import type { Resolver } from 'node:dns/promises';

/** The DNS queries server discovery needs. */
export type DnsResolver = Pick<Resolver, 'resolveSrv' | 'resolve4' | 'resolve6'>;

/** One place to connect to: an IP address and a TCP port. */
export interface ResolvedAddress {
  readonly address: string;
  readonly port: number;
}

/** An SRV record, as `dns.resolveSrv` returns it. */
export interface SrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** DNS error codes that mean "no such record", as opposed to "could not find out". */
const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

/** Whether a DNS error means the name or record type does not exist. */
export function isNoRecordError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && NO_RECORD.has(String((e as { code?: unknown }).code));
}

async function recordsOrNone(query: Promise<string[]>): Promise<string[] | Error> {
  try {
    return await query;
  } catch (e) {
    return isNoRecordError(e) ? [] : (e as Error);
  }
}

/**
 * The IP addresses of `host` (A then AAAA records; CNAMEs are followed by the resolver). IPv4
 * comes first because many servers still lack working IPv6 routes and a dead first address
 * costs a connect timeout; the connector tries the rest in order. An IP literal is returned as is.
 * @throws Error if the name has no addresses, or both lookups failed.
 */
export async function lookupAddresses(dns: DnsResolver, host: string): Promise<string[]> {
  if (isIP(host) !== 0) return [host];
  const [v4, v6] = await Promise.all([recordsOrNone(dns.resolve4(host)), recordsOrNone(dns.resolve6(host))]);
  const found = [...(Array.isArray(v4) ? v4 : []), ...(Array.isArray(v6) ? v6 : [])];
  if (found.length > 0) return found;
  const failure = v4 instanceof Error ? v4 : v6 instanceof Error ? v6 : undefined;
  if (failure) throw new Error(`DNS lookup of ${host} failed: ${failure.message}`, { cause: failure });
  throw new Error(`${host} has no A or AAAA records`);
}

/**
 * SRV records for `name`, ordered as RFC 2782 asks: ascending priority, and within a priority a
 * weighted random order. An empty list means there is no such record.
 * @throws Error if the lookup failed for another reason (timeout, SERVFAIL), so a transient DNS
 * failure does not silently send us to the default port.
 */
export async function lookupSrv(dns: DnsResolver, name: string, random: () => number = Math.random): Promise<SrvRecord[]> {
  let records: SrvRecord[];
  try {
    records = await dns.resolveSrv(name);
  } catch (e) {
    if (isNoRecordError(e)) return [];
    throw new Error(`SRV lookup of ${name} failed: ${(e as Error).message}`, { cause: e });
  }
  const priorities = [...new Set(records.map((r) => r.priority))].sort((a, b) => a - b);
  return priorities.flatMap((p) => weightedOrder(records.filter((r) => r.priority === p), random));
}

function weightedOrder(group: SrvRecord[], random: () => number): SrvRecord[] {
  const left = [...group];
  const out: SrvRecord[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, r) => sum + r.weight, 0);
    let pick = random() * total;
    let index = left.findIndex((r) => (pick -= r.weight) < 0);
    // All-zero weights (or rounding at the top end) fall back to the first remaining record.
    if (index < 0) index = 0;
    out.push(...left.splice(index, 1));
  }
  return out;
}
