/**
 * Server discovery (spec "Resolving server names"): turns a server name into the addresses to
 * connect to, the name the TLS certificate must carry (also sent as SNI) and the `Host` header.
 * The certificate and `Host` always name the server name, or the name it delegated to through
 * `.well-known`, never an SRV target: DNS is not trusted to delegate, TLS proves the delegate.
 */
import { parseServerName, type ServerNameParts } from '../../matrix/ids/server-name.js';
import { lookupAddresses, lookupSrv, type DnsResolver, type ResolvedAddress } from './lookup-addresses.js';
import type { WellKnownCache } from './well-known-cache.js';

/** The port of a server name that has none and no SRV record. */
export const DEFAULT_FEDERATION_PORT = 8448;

/**
 * Which step found the addresses: an IP literal, a hostname with an explicit port, an SRV record
 * (`_matrix-fed._tcp`, or the deprecated `_matrix._tcp`), or the A/AAAA records on port 8448.
 */
export type ResolutionMethod = 'ip-literal' | 'explicit-port' | 'srv' | 'srv-legacy' | 'default-port';

/** Where and how to reach a server. */
export interface ResolvedServer {
  /** The server name resolved (the one requests are signed for). */
  readonly serverName: string;
  /** The `m.server` of the well-known delegation, when there was one. */
  readonly delegatedTo: string | undefined;
  readonly method: ResolutionMethod;
  /** The host connected to: the IP literal, the hostname, or the first SRV target. */
  readonly host: string;
  /** The port of the first address. */
  readonly port: number;
  /** Every candidate, in order of preference (SRV targets may differ in port). */
  readonly addresses: readonly ResolvedAddress[];
  /** The name the certificate must be valid for and SNI sends; `undefined` for an IP literal. */
  readonly tlsServername: string | undefined;
  /** The `Host` header value. */
  readonly hostHeader: string;
}

/** What {@link resolveServer} needs. */
export interface ResolveServerDeps {
  readonly dns: DnsResolver;
  readonly wellKnown: Pick<WellKnownCache, 'lookup'>;
  /** Randomness for SRV weights (tests pin it). */
  readonly random?: () => number;
}

function parse(name: string, what: string): ServerNameParts {
  const parsed = parseServerName(name);
  if (!parsed.ok) throw new Error(`${what} "${name}" is not a valid server name: ${parsed.reason}`);
  return parsed.value;
}

/** Steps 1, 2, 3.1 and 3.2: an IP literal or an explicit port needs no SRV or well-known. */
async function resolveDirect(serverName: string, name: string, parts: ServerNameParts, deps: ResolveServerDeps, delegatedTo: string | undefined): Promise<ResolvedServer> {
  const port = parts.port ?? DEFAULT_FEDERATION_PORT;
  const ips = await lookupAddresses(deps.dns, parts.host);
  const isDns = parts.hostKind === 'dns';
  return {
    serverName,
    delegatedTo,
    method: isDns ? 'explicit-port' : 'ip-literal',
    host: parts.host,
    port,
    addresses: ips.map((address) => ({ address, port })),
    tlsServername: isDns ? parts.host : undefined,
    hostHeader: name,
  };
}

/** The A/AAAA addresses of every SRV target, in SRV order; targets that do not resolve are skipped. */
async function srvAddresses(dns: DnsResolver, service: string, random: (() => number) | undefined): Promise<{ host: string; addresses: ResolvedAddress[] } | undefined> {
  const records = await lookupSrv(dns, service, random);
  if (records.length === 0) return undefined;
  const usable = records.filter((r) => r.name !== '' && r.name !== '.');
  // RFC 2782: a lone target of "." means the service is decidedly not available here.
  if (usable.length === 0) throw new Error(`${service} says the service is not available`);
  const resolved = await Promise.all(usable.map((r) => lookupAddresses(dns, r.name).then((ips) => ips.map((address) => ({ address, port: r.port })), () => [])));
  const addresses = resolved.flat();
  if (addresses.length === 0) throw new Error(`no SRV target of ${service} has an address`);
  return { host: usable[0]?.name ?? '', addresses };
}

/** Steps 3.3–3.5 and 4–6: SRV `_matrix-fed._tcp`, then `_matrix._tcp`, then A/AAAA on 8448. */
async function resolveBySrv(serverName: string, hostname: string, deps: ResolveServerDeps, delegatedTo: string | undefined): Promise<ResolvedServer> {
  const base = { serverName, delegatedTo, tlsServername: hostname, hostHeader: hostname };
  const fed = await srvAddresses(deps.dns, `_matrix-fed._tcp.${hostname}`, deps.random);
  const legacy = fed ? undefined : await srvAddresses(deps.dns, `_matrix._tcp.${hostname}`, deps.random);
  const srv = fed ?? legacy;
  if (srv) {
    const port = srv.addresses[0]?.port ?? DEFAULT_FEDERATION_PORT;
    return { ...base, method: fed ? 'srv' : 'srv-legacy', host: srv.host, port, addresses: srv.addresses };
  }
  const ips = await lookupAddresses(deps.dns, hostname);
  const port = DEFAULT_FEDERATION_PORT;
  return { ...base, method: 'default-port', host: hostname, port, addresses: ips.map((address) => ({ address, port })) };
}

/**
 * Resolves `serverName` exactly as the spec's discovery steps say.
 * @throws Error if the name is invalid or no address can be found (the message says which step).
 */
export async function resolveServer(serverName: string, deps: ResolveServerDeps): Promise<ResolvedServer> {
  const parts = parse(serverName, 'server name');
  if (parts.hostKind !== 'dns' || parts.port !== undefined) return resolveDirect(serverName, serverName, parts, deps, undefined);
  const delegated = await deps.wellKnown.lookup(parts.host);
  if (delegated === undefined) return resolveBySrv(serverName, parts.host, deps, undefined);
  const d = parse(delegated, 'delegated server name');
  return d.hostKind !== 'dns' || d.port !== undefined
    ? resolveDirect(serverName, delegated, d, deps, delegated)
    : resolveBySrv(serverName, d.host, deps, delegated);
}
